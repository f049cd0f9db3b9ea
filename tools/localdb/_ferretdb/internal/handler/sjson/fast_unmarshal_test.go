// Copyright 2021 FerretDB Inc.
// Modifications copyright 2026 SDG Learn.
//
// Licensed under the Apache License, Version 2.0 (the "License");
// you may not use this file except in compliance with the License.
// You may obtain a copy of the License at
//
//     http://www.apache.org/licenses/LICENSE-2.0
//
// Unless required by applicable law or agreed to in writing, software
// distributed under the License is distributed on an "AS IS" BASIS,
// WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
// See the License for the specific language governing permissions and
// limitations under the License.

// This file is added by SDG Learn's local database build (tools/localdb); it is not part of
// FerretDB v1.24.2. See tools/localdb/_ferretdb/README.md.

package sjson

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/FerretDB/FerretDB/internal/types"
	"github.com/FerretDB/FerretDB/internal/util/must"
)

// The one-pass decoder must give what the original gives, document for document and error for
// error: checked on generated documents, on those documents' bytes damaged at random, and on
// hand-written layouts Marshal never writes.

type fastGen struct {
	r *rand.Rand
}

var fastStrings = []string{
	"", "a", "questionId", "plain ascii text", "é", "日本語", "emoji 😀", "quote \" inside",
	"back\\slash", "tab\tnew\nline", "ctrl \x01\x1f", "<b>&amp;</b>", "line\u2028sep\u2029",
	"invalid \xff utf8", "\xc3", "$s", "$k", "p", "t", "nul \x00 byte", "\u007f del",
}

func (g *fastGen) str() string {
	if g.r.IntN(3) == 0 {
		return fastStrings[g.r.IntN(len(fastStrings))]
	}

	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789_-"

	b := make([]byte, g.r.IntN(24))
	for i := range b {
		b[i] = alphabet[g.r.IntN(len(alphabet))]
	}

	return string(b)
}

func (g *fastGen) key() string {
	// mostly plain field names, as applications write them
	if g.r.IntN(8) == 0 {
		return fastStrings[g.r.IntN(len(fastStrings))]
	}

	return fmt.Sprintf("f%d", g.r.IntN(1000))
}

var fastDoubles = []float64{
	0, math.Copysign(0, -1), 1, -1, 0.1, 1e21, 1e20, 123456789012345678, 1e-7, 1e-6, 5e-324,
	math.MaxFloat64, -math.MaxFloat64, math.SmallestNonzeroFloat64, 3.141592653589793, 2.5e-300,
}

func (g *fastGen) scalar() any {
	switch g.r.IntN(13) {
	case 0:
		if g.r.IntN(2) == 0 {
			return fastDoubles[g.r.IntN(len(fastDoubles))]
		}

		return (g.r.Float64() - 0.5) * math.Pow(10, float64(g.r.IntN(40)-20))
	case 1:
		return g.str()
	case 2:
		b := make([]byte, g.r.IntN(20))
		for i := range b {
			b[i] = byte(g.r.IntN(256))
		}

		return types.Binary{Subtype: types.BinarySubtype(g.r.IntN(256)), B: b}
	case 3:
		var id types.ObjectID
		for i := range id {
			id[i] = byte(g.r.IntN(256))
		}

		return id
	case 4:
		return g.r.IntN(2) == 0
	case 5:
		ms := []int64{0, -1, 1, 1767225600123, -62135596800000, 253402300799999, g.r.Int64N(1 << 45)}
		return time.UnixMilli(ms[g.r.IntN(len(ms))])
	case 6:
		return types.Null
	case 7:
		return types.Regex{Pattern: g.str(), Options: []string{"", "i", "imsx", "\u00e9"}[g.r.IntN(4)]}
	case 8:
		return []int32{0, 1, -1, math.MaxInt32, math.MinInt32, int32(g.r.Uint32())}[g.r.IntN(6)]
	case 9:
		return types.Timestamp([]uint64{0, 1, math.MaxUint64, g.r.Uint64()}[g.r.IntN(4)])
	case 10:
		return []int64{0, 1, -1, math.MaxInt64, math.MinInt64, 1 << 53, 1<<53 + 1, g.r.Int64()}[g.r.IntN(8)]
	case 11:
		return "plain"
	default:
		return g.str()
	}
}

func (g *fastGen) value(depth int) any {
	if depth < 4 {
		switch g.r.IntN(6) {
		case 0:
			return g.doc(depth + 1)
		case 1:
			return g.array(depth + 1)
		}
	}

	return g.scalar()
}

func (g *fastGen) doc(depth int) *types.Document {
	d := must.NotFail(types.NewDocument())
	for n := g.r.IntN(8); n > 0; n-- {
		d.Set(g.key(), g.value(depth))
	}

	return d
}

func (g *fastGen) array(depth int) *types.Array {
	a := types.MakeArray(0)
	for n := g.r.IntN(6); n > 0; n-- {
		a.Append(g.value(depth))
	}

	return a
}

// quizAttempt is shaped like the application's quiz attempts, the documents read most.
func (g *fastGen) quizAttempt() *types.Document {
	questions := types.MakeArray(10)

	for q := 0; q < 10; q++ {
		options := types.MakeArray(4)
		for o := 0; o < 4; o++ {
			options.Append(fmt.Sprintf("opt-%d-%d", q, o))
		}

		questions.Append(must.NotFail(types.NewDocument("questionId", fmt.Sprintf("q-%d", q), "optionIds", options)))
	}

	return must.NotFail(types.NewDocument(
		"_id", g.scalarOf(3),
		"userId", "user-123",
		"moduleId", "module-9",
		"questions", questions,
		"score", g.r.Float64(),
		"passed", true,
		"submittedAt", time.UnixMilli(1767225600123),
		"empty", must.NotFail(types.NewDocument()),
		"none", types.Null,
	))
}

func (g *fastGen) scalarOf(kind int) any {
	for {
		v := g.scalar()
		if kind == 3 {
			if _, ok := v.(types.ObjectID); ok {
				return v
			}

			continue
		}

		return v
	}
}

// sameValue reports whether two decoded values are identical, floats bit for bit and times with
// their location.
func sameValue(a, b any) bool {
	switch a := a.(type) {
	case *types.Document:
		b, ok := b.(*types.Document)
		if !ok || !reflect.DeepEqual(a.Keys(), b.Keys()) || a.Len() != b.Len() {
			return false
		}

		av, bv := a.Values(), b.Values()
		for i := range av {
			if !sameValue(av[i], bv[i]) {
				return false
			}
		}

		return true
	case *types.Array:
		b, ok := b.(*types.Array)
		if !ok || a.Len() != b.Len() {
			return false
		}

		for i := 0; i < a.Len(); i++ {
			if !sameValue(must.NotFail(a.Get(i)), must.NotFail(b.Get(i))) {
				return false
			}
		}

		return true
	case float64:
		b, ok := b.(float64)
		return ok && math.Float64bits(a) == math.Float64bits(b)
	case time.Time:
		b, ok := b.(time.Time)
		return ok && a == b
	case types.Binary:
		b, ok := b.(types.Binary)
		return ok && a.Subtype == b.Subtype && bytes.Equal(a.B, b.B) && (a.B == nil) == (b.B == nil)
	default:
		return reflect.TypeOf(a) == reflect.TypeOf(b) && a == b
	}
}

// checkSame decodes data both ways and fails the test if they differ; it reports whether the
// one-pass decoder took the document itself.
func checkSame(t *testing.T, data []byte, exclude []string) (fast bool) {
	t.Helper()

	var want, got *types.Document
	var wantErr, gotErr error

	if len(exclude) == 0 {
		want, wantErr = unmarshalOriginal(data)
		got, gotErr = Unmarshal(data)
	} else {
		want, wantErr = unmarshalExceptOriginal(data, exclude)
		got, gotErr = UnmarshalExcept(data, exclude)
	}

	_, fast = fastUnmarshal(data, exclude)

	switch {
	case (wantErr == nil) != (gotErr == nil):
		t.Fatalf("errors differ for %q (exclude %q): original %v, now %v", data, exclude, wantErr, gotErr)
	case wantErr != nil:
		if fast {
			t.Fatalf("fast path took %q which the original refuses: %v", data, wantErr)
		}
	case !sameValue(want, got) || !reflect.DeepEqual(want, got):
		t.Fatalf("documents differ for %q (exclude %q):\noriginal %#v\nnow      %#v", data, exclude, want, got)
	}

	return fast
}

func TestFastUnmarshalGenerated(t *testing.T) {
	g := &fastGen{r: rand.New(rand.NewPCG(1, 2))}

	var total, fast, mutated int

	for n := 0; n < 10000; n++ {
		var doc *types.Document
		if n%10 == 0 {
			doc = g.quizAttempt()
		} else {
			doc = g.doc(0)
		}

		data, err := Marshal(doc)
		if err != nil {
			continue // the generator made something Marshal refuses (a float it cannot write)
		}

		total++

		if checkSame(t, data, nil) {
			fast++
		} else if n%10 == 0 {
			t.Fatalf("the one-pass path did not take a quiz attempt: %s", data)
		}

		if keys := doc.Keys(); len(keys) > 0 {
			checkSame(t, data, []string{keys[g.r.IntN(len(keys))], "absent"})
		}

		// damaged copies: the fast path must refuse what the original refuses
		for m := 0; m < 4; m++ {
			bad := bytes.Clone(data)

			switch i := g.r.IntN(len(bad)); g.r.IntN(6) {
			case 0:
				bad[i] = " {}[],:\"\\0123456789-.eEtrufalsn"[g.r.IntN(31)]
			case 1:
				bad = append(bad[:i:i], bad[i+1:]...)
			case 2:
				k := g.r.IntN(3)
				bad = append(bad[:i:i], append([]byte(" \n\t"[k:k+1]), bad[i:]...)...)
			case 3:
				bad = append(bad, ' ')
			case 4:
				bad = append([]byte(" "), bad...)
			case 5:
				j := g.r.IntN(len(bad))
				bad[i], bad[j] = bad[j], bad[i]
			}

			checkSame(t, bad, nil)
			checkSame(t, bad, []string{"f1", "questions"})

			mutated++
		}
	}

	// the others have a key with escapes somewhere (see fastGen.key)
	t.Logf("%d documents, %d decoded by the one-pass path, %d damaged copies", total, fast, mutated)
}

func TestFastUnmarshalLayouts(t *testing.T) {
	for _, data := range []string{
		`{"$s":{}}`,
		`{"$s":{"p":{},"$k":[]}}`,
		`{"$s":{}} `,
		` {"$s":{}}`,
		`{"$s":{},"a":1}`,
		`{"$s":{"p":{"a":{"t":"int"}},"$k":["a"]},"a":1}`,
		`{"$s":{"p":{"a":{"t":"int"}},"$k":["a"]},"a":1,"a":2}`,
		`{"$s":{"p":{"a":{"t":"int"},"a":{"t":"int"}},"$k":["a","a"]},"a":1,"a":2}`,
		`{"$s":{"p":{"a":{"t":"int"},"b":{"t":"int"}},"$k":["b","a"]},"a":1,"b":2}`,
		`{"$s":{"p":{"a":{"t":"int"},"b":{"t":"int"}},"$k":["a","b"]},"b":2,"a":1}`,
		`{"$s":{"p":{"a":{"t":"int"}},"$k":["a"]},"a":1.0}`,
		`{"$s":{"p":{"a":{"t":"int"}},"$k":["a"]},"a":1e2}`,
		`{"$s":{"p":{"a":{"t":"int"}},"$k":["a"]},"a":2147483648}`,
		`{"$s":{"p":{"a":{"t":"int"}},"$k":["a"]},"a":-2147483648}`,
		`{"$s":{"p":{"a":{"t":"long"}},"$k":["a"]},"a":9223372036854775808}`,
		`{"$s":{"p":{"a":{"t":"long"}},"$k":["a"]},"a":-0}`,
		`{"$s":{"p":{"a":{"t":"double"}},"$k":["a"]},"a":-0}`,
		`{"$s":{"p":{"a":{"t":"double"}},"$k":["a"]},"a":-0.0}`,
		`{"$s":{"p":{"a":{"t":"double"}},"$k":["a"]},"a":1e400}`,
		`{"$s":{"p":{"a":{"t":"double"}},"$k":["a"]},"a":"NaN"}`,
		`{"$s":{"p":{"a":{"t":"double"}},"$k":["a"]},"a":01}`,
		`{"$s":{"p":{"a":{"t":"double"}},"$k":["a"]},"a":1.}`,
		`{"$s":{"p":{"a":{"t":"timestamp"}},"$k":["a"]},"a":-1}`,
		`{"$s":{"p":{"a":{"t":"date"}},"$k":["a"]},"a":1767225600123}`,
		`{"$s":{"p":{"a":{"t":"bool"}},"$k":["a"]},"a":tru}`,
		`{"$s":{"p":{"a":{"t":"string"}},"$k":["a"]},"a":"\u00e9\ud83d\ude00\ud800x\/\b"}`,
		`{"$s":{"p":{"a":{"t":"string"}},"$k":["a"]},"a":"\x"}`,
		`{"$s":{"p":{"a":{"t":"string"}},"$k":["a"]},"a":5}`,
		`{"$s":{"p":{"a":{"t":"string"}},"$k":["a"]},"a":null}`,
		`{"$s":{"p":{"a":{"t":"null"}},"$k":["a"]},"a":null}`,
		`{"$s":{"p":{"a":{"t":"null"}},"$k":["a"]},"a":1}`,
		`{"$s":{"p":{"a":{"t":"whatever"}},"$k":["a"]},"a":null}`,
		`{"$s":{"p":{"a":{"t":"string","x":1}},"$k":["a"]},"a":null}`,
		`{"$s":{"p":{"a":{"t":"string","x":1}},"$k":["a"]},"a":"s"}`,
		`{"$s":{"p":{"a":{"T":"string"}},"$k":["a"]},"a":"s"}`,
		`{"$s":{"p":{"a":{"t":"string","t":"int"}},"$k":["a"]},"a":1}`,
		`{"$s":{"p":{"a":null},"$k":["a"]},"a":null}`,
		`{"$s":{"p":{"a":{"t":"object","$s":{"p":{"x":{"t":"int"}},"$k":["x"]}}},"$k":["a"]},"a":null}`,
		`{"$s":{"p":{"a":{"t":"object","$s":{"p":{"x":{"t":"int","y":1}},"$k":["x"]}}},"$k":["a"]},"a":null}`,
		`{"$s":{"p":{"a":{"t":"object","$s":{"p":{"x":{"t":"int"}},"$k":["x"]}}},"$k":["a"]},"a":{}}`,
		`{"$s":{"p":{"a":{"t":"object","$s":{"p":{"x":{"t":"int","y":1}},"$k":["x"]}}},"$k":["a"]},"a":{}}`,
		`{"$s":{"p":{"a":{"t":"object","$s":null}},"$k":["a"]},"a":{}}`,
		`{"$s":{"p":{"a":{"t":"object","$s":{}}},"$k":["a"]},"a":{}}`,
		`{"$s":{"p":{"a":{"t":"object","$s":{}}},"$k":["a"]},"a":{"x":1}}`,
		`{"$s":{"p":{"a":{"t":"object","$s":{"p":{"x":{"t":"int"}},"$k":["x"]}}},"$k":["a"]},"a":{"x":1}}`,
		`{"$s":{"p":{"a":{"t":"object","$s":{"p":{"x":{"t":"int"}},"$k":["x"]}}},"$k":["a"]},"a":{"x":1,"x":2}}`,
		`{"$s":{"p":{"a":{"t":"object"}},"$k":["a"]},"a":{}}`,
		`{"$s":{"p":{"a":{"t":"array","i":[]}},"$k":["a"]},"a":[]}`,
		`{"$s":{"p":{"a":{"t":"array"}},"$k":["a"]},"a":[]}`,
		`{"$s":{"p":{"a":{"t":"array","i":null}},"$k":["a"]},"a":[]}`,
		`{"$s":{"p":{"a":{"t":"array","i":[{"t":"int"}]}},"$k":["a"]},"a":[]}`,
		`{"$s":{"p":{"a":{"t":"array","i":[{"t":"int"}]}},"$k":["a"]},"a":[1,2]}`,
		`{"$s":{"p":{"a":{"t":"array","i":[null,{"t":"int"}]}},"$k":["a"]},"a":[null,2]}`,
		`{"$s":{"p":{"a":{"t":"array","i":[{"t":"int"},{"t":"string"}]}},"$k":["a"]},"a":[ 1 , "x" ]}`,
		`{"$s":{"p":{"a":{"t":"binData","s":4}},"$k":["a"]},"a":"AAECAw=="}`,
		`{"$s":{"p":{"a":{"t":"binData","s":256}},"$k":["a"]},"a":"AAECAw=="}`,
		`{"$s":{"p":{"a":{"t":"binData","s":0}},"$k":["a"]},"a":""}`,
		`{"$s":{"p":{"a":{"t":"binData","s":0}},"$k":["a"]},"a":"AAE"}`,
		`{"$s":{"p":{"a":{"t":"binData"}},"$k":["a"]},"a":"AAE="}`,
		`{"$s":{"p":{"a":{"t":"regex","o":"i"}},"$k":["a"]},"a":"^a\\.b$"}`,
		`{"$s":{"p":{"a":{"t":"regex"}},"$k":["a"]},"a":"x"}`,
		`{"$s":{"p":{"a":{"t":"objectId"}},"$k":["a"]},"a":"0123456789abcdefABCDEF01"}`,
		`{"$s":{"p":{"a":{"t":"objectId"}},"$k":["a"]},"a":"0123456789abcdef0123456"}`,
		`{"$s":{"p":{"a":{"t":"objectId"}},"$k":["a"]},"a":"0123456789abcdef012345zz"}`,
		`{"$s":{"p":{"$s":{"t":"int"}},"$k":["$s"]},"$s":1}`,
		`{"$s":{"p":{"a\u0062":{"t":"int"}},"$k":["ab"]},"ab":1}`,
		`{"$s":{"p":{"ab":{"t":"int"}},"$k":["a\u0062"]},"ab":1}`,
		`{"$s":{"p":{"é":{"t":"int"}},"$k":["é"]},"é":1}`,
		`{"$s":{"p":{"a":{"t":"int"}},"$k":["a"],"x":1},"a":1}`,
		`{"$s":{"$k":["a"],"p":{"a":{"t":"int"}}},"a":1}`,
		`{"$s":{"p":{"a":{"t":"int"}},"$k":["a"]},"a":1}x`,
		`{"$s":{"p":{"a":{"t":"int"}},"$k":["a"]},"a":1`,
		` { "$s" : { "p" : { "a" : { "t" : "int" } } , "$k" : [ "a" ] } , "a" : 1 }`,
		`{"$s" : { "p" : { "a" : { "t" : "int" } } , "$k" : [ "a" ] } , "a" : 1 }`,
	} {
		for _, exclude := range [][]string{nil, {"a"}, {"x"}} {
			checkSame(t, []byte(data), exclude)
		}
	}
}

func TestFastUnmarshalDeep(t *testing.T) {
	for _, levels := range []int{10, maxFastDepth / 2, maxFastDepth + 20} {
		doc := must.NotFail(types.NewDocument("v", int32(1)))
		for i := 0; i < levels; i++ {
			if i%2 == 0 {
				doc = must.NotFail(types.NewDocument("d", doc))
			} else {
				doc = must.NotFail(types.NewDocument("a", must.NotFail(types.NewArray(doc))))
			}
		}

		data := must.NotFail(Marshal(doc))
		if fast := checkSame(t, data, nil); fast != (levels < maxFastDepth/2) {
			t.Errorf("%d levels: fast path %v", levels, fast)
		}
	}
}

func BenchmarkUnmarshalQuizAttempt(b *testing.B) {
	g := &fastGen{r: rand.New(rand.NewPCG(1, 2))}
	data := must.NotFail(Marshal(g.quizAttempt()))

	b.Run("original", func(b *testing.B) {
		for range b.N {
			must.NotFail(unmarshalOriginal(data))
		}
	})

	b.Run("one-pass", func(b *testing.B) {
		b.ReportAllocs()

		for range b.N {
			must.NotFail(Unmarshal(data))
		}
	})
}
