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
	"encoding/json"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/AlekSi/pointer"

	"github.com/FerretDB/FerretDB/internal/types"
)

// fastUnmarshal decodes a top-level document in one pass over its bytes, for documents as
// FerretDB's Marshal writes them. Unmarshal (sjson.go) and UnmarshalExcept used to decode every
// level of nesting with encoding/json into map[string]json.RawMessage, scanning nested bytes once
// per level, and each schema element by reflection: about a fifth of the database's CPU during
// quiz submissions (pprof).
//
// The schema comes first in the stored document and lists the fields in the order the data holds
// them, so data and schema are walked side by side: each value is decoded by the schema element
// read beside it, at every level, without maps. The schema's bytes are passed over twice (once to
// find where the data starts), the data's once.
//
// It takes only what it is sure about and answers ok false for anything else: escaped keys, a
// layout Marshal does not write, a value that does not fit its type, malformed input. The caller
// then decodes the whole document the original way, so results and errors stay the original's.
// Where it says ok, encoding/json would have given the same document: the scanner checks syntax
// as strictly, keys are matched byte for byte (so they must be free of escapes and valid UTF-8),
// and numbers go through the same strconv calls.
//
// Fields named in exclude are passed over undecoded (see UnmarshalExcept).
func fastUnmarshal(data []byte, exclude []string) (*types.Document, bool) {
	if len(data) == 0 || data[0] != '{' {
		return nil, false
	}

	s := scanner{data: data}

	si, ok := s.expectKey(1, `"$s"`)
	if !ok || si >= len(data) || data[si] != '{' {
		return nil, false
	}

	schemaEnd, ok := s.skipValue(si, 0)
	if !ok {
		return nil, false
	}

	doc, end, _, ok := s.document(schemaEnd, si, true, exclude, 0)
	if !ok || end != len(data) {
		return nil, false
	}

	return doc, true
}

// excludedValue marks, on the value stack, a field left undecoded.
type excludedValue struct{}

// document decodes the object at data index di by the schema at si (`{"p":{…},"$k":[…]}`),
// returning the indexes after both. For the top level, di is just after the `"$s":{…}` member.
func (s *scanner) document(di, si int, top bool, exclude []string, depth int) (doc *types.Document, dEnd, sEnd int, ok bool) {
	data := s.data

	i := s.skipSpace(di)
	if i >= len(data) {
		return nil, 0, 0, false
	}

	empty := false

	switch {
	case top && data[i] == ',':
		i = s.skipSpace(i + 1)
	case top && data[i] == '}':
		empty = true
	case !top && data[i] == '{':
		i = s.skipSpace(i + 1)
		empty = i < len(data) && data[i] == '}'
	default:
		return nil, 0, 0, false
	}

	if empty {
		if j, ok := s.expect(si, '{'); ok {
			if j, ok = s.expect(j, '}'); ok {
				return new(types.Document), i + 1, j, true
			}
		}

		// FerretDB gives an empty nested document whatever its schema says, but its Unmarshal
		// still decoded that schema (with unknown fields disallowed), and failed if it could not.
		if top || data[si] != '{' {
			return nil, 0, 0, false
		}

		if sEnd, ok = s.skipValue(si, depth); !ok || !strictlyDecodes[*schema](data[si:sEnd]) {
			return nil, 0, 0, false
		}

		return new(types.Document), i + 1, sEnd, true
	}

	j, ok := s.expect(si, '{')
	if ok {
		j, ok = s.expectKey(j, `"p"`)
	}

	if ok {
		j, ok = s.expect(j, '{')
	}

	if !ok {
		return nil, 0, 0, false
	}

	j = s.skipSpace(j)

	keyBase, valBase := len(s.keys), len(s.vals)
	excluded := 0

	for {
		var propKey, key span

		if propKey, j, ok = s.plainKey(j); !ok {
			return nil, 0, 0, false
		}

		if key, i, ok = s.plainKey(i); !ok {
			return nil, 0, 0, false
		}

		if !s.sameKey(propKey, key) || (top && s.is(key, "$s")) {
			return nil, 0, 0, false
		}

		var v any
		if top && s.excluded(key, exclude) {
			if i, ok = s.skipValue(i, depth); ok {
				j, ok = s.skipValue(j, depth)
			}

			v = excludedValue{}
			excluded++
		} else {
			v, i, j, ok = s.value(i, j, depth)
		}

		if !ok {
			return nil, 0, 0, false
		}

		s.keys = append(s.keys, key)
		s.vals = append(s.vals, v)

		var more bool
		if i, j, more, ok = s.separator(i, j, '}'); !ok {
			return nil, 0, 0, false
		}

		if !more {
			break
		}
	}

	// "$k" must list the same keys in the same order
	if j, ok = s.expect(j, ','); ok {
		if j, ok = s.expectKey(j, `"$k"`); ok {
			j, ok = s.expect(j, '[')
		}
	}

	if !ok {
		return nil, 0, 0, false
	}

	keys := s.keys[keyBase:]

	for n := 0; ; n++ {
		start := s.skipSpace(j)

		end, flags, ok := s.scanString(start)
		if !ok || flags&strEscaped != 0 || n >= len(keys) || !s.sameKey(span{start + 1, end - 1}, keys[n]) {
			return nil, 0, 0, false
		}

		if j, ok = s.expect(end, ','); ok {
			continue
		}

		if j, ok = s.expect(end, ']'); !ok || n != len(keys)-1 {
			return nil, 0, 0, false
		}

		break
	}

	if j, ok = s.expect(j, '}'); !ok {
		return nil, 0, 0, false
	}

	vals := s.vals[valBase:]

	doc = types.MakeDocument(len(keys) - excluded)
	for n, key := range keys {
		if _, skip := vals[n].(excludedValue); skip {
			continue
		}

		doc.Set(string(s.bytes(key)), vals[n])
	}

	// Set replaces a repeated key, which encoding/json would have refused (the map it decoded
	// into would have had fewer keys than "$k")
	if doc.Len() != len(keys)-excluded || (excluded > 0 && s.repeatedKey(keys)) {
		return nil, 0, 0, false
	}

	s.keys, s.vals = s.keys[:keyBase], s.vals[:valBase]

	return doc, i, j, true
}

// separator reads what follows a value in the data and in its schema alike: a comma in both (more
// to come: more is true) or the closing bracket in both (more is false). Anything else is not the
// layout this reader takes (ok is false).
func (s *scanner) separator(i, j int, closing byte) (iEnd, jEnd int, more, ok bool) {
	data := s.data

	i, j = s.skipSpace(i), s.skipSpace(j)
	if i >= len(data) || j >= len(data) {
		return 0, 0, false, false
	}

	if data[i] == ',' && data[j] == ',' {
		return s.skipSpace(i + 1), s.skipSpace(j + 1), true, true
	}

	if data[i] == closing && data[j] == closing {
		return i + 1, j + 1, false, true
	}

	return 0, 0, false, false
}

func (s *scanner) excluded(key span, exclude []string) bool {
	for _, e := range exclude {
		if string(s.bytes(key)) == e {
			return true
		}
	}

	return false
}

func (s *scanner) repeatedKey(keys []span) bool {
	for n := range keys {
		for _, other := range keys[:n] {
			if s.sameKey(keys[n], other) {
				return true
			}
		}
	}

	return false
}

// array decodes the array at data index vi by the schema elements at ei (`[{…},…]`), returning
// the indexes after both.
func (s *scanner) array(vi, ei, depth int) (arr *types.Array, vEnd, eEnd int, ok bool) {
	data := s.data

	if vi >= len(data) || data[vi] != '[' {
		return nil, 0, 0, false
	}

	j, ok := s.expect(ei, '[')
	if !ok {
		return nil, 0, 0, false
	}

	i, j := s.skipSpace(vi+1), s.skipSpace(j)
	if i >= len(data) || j >= len(data) {
		return nil, 0, 0, false
	}

	if data[i] == ']' || data[j] == ']' {
		if data[i] != data[j] {
			return nil, 0, 0, false
		}

		return types.MakeArray(0), i + 1, j + 1, true
	}

	base := len(s.vals)

	for {
		var v any
		if v, i, j, ok = s.value(i, j, depth); !ok {
			return nil, 0, 0, false
		}

		s.vals = append(s.vals, v)

		var more bool
		if i, j, more, ok = s.separator(i, j, ']'); !ok {
			return nil, 0, 0, false
		}

		if !more {
			break
		}
	}

	arr = types.MakeArray(len(s.vals) - base)
	arr.Append(s.vals[base:]...)
	s.vals = s.vals[:base]

	return arr, i, j, true
}

// value decodes the value at data index vi by the schema element at ei, returning the indexes
// after both.
func (s *scanner) value(vi, ei, depth int) (v any, vEnd, eEnd int, ok bool) {
	data := s.data

	if vi >= len(data) {
		return nil, 0, 0, false
	}

	// null is null whatever the schema says (as in unmarshalSingleValue)
	if data[vi] == 'n' {
		if vEnd, ok = s.literal(vi, "null"); !ok {
			return nil, 0, 0, false
		}

		if eEnd, ok = s.elemOfNull(ei, depth); !ok {
			return nil, 0, 0, false
		}

		return types.Null, vEnd, eEnd, true
	}

	// every element starts with its type: {"t":"…"
	j, ok := s.expect(ei, '{')
	if ok {
		j, ok = s.expectKey(j, `"t"`)
	}

	if !ok {
		return nil, 0, 0, false
	}

	tEnd, flags, ok := s.scanString(j)
	if !ok || flags != 0 {
		return nil, 0, 0, false
	}

	t := data[j+1 : tEnd-1]
	j = tEnd

	switch string(t) {
	case string(elemTypeObject):
		if depth >= maxFastDepth {
			return nil, 0, 0, false
		}

		if j, ok = s.expect(j, ','); ok {
			j, ok = s.expectKey(j, `"$s"`)
		}

		if ok {
			v, vEnd, j, ok = s.document(vi, j, false, nil, depth+1)
		}

	case string(elemTypeArray):
		if depth >= maxFastDepth {
			return nil, 0, 0, false
		}

		if j, ok = s.expect(j, ','); ok {
			j, ok = s.expectKey(j, `"i"`)
		}

		if ok {
			v, vEnd, j, ok = s.array(vi, j, depth+1)
		}

	case string(elemTypeString):
		if vEnd, flags, ok = s.scanString(vi); !ok {
			return nil, 0, 0, false
		}

		if flags&strEscaped == 0 && (flags&strNonASCII == 0 || utf8.Valid(data[vi+1:vEnd-1])) {
			v = string(data[vi+1 : vEnd-1])
			break
		}

		// escapes and invalid UTF-8 are rare: decoded as FerretDB always did
		var str stringType
		ok = str.UnmarshalJSON(data[vi:vEnd]) == nil
		v = string(str)

	case string(elemTypeDouble):
		var f float64
		if vEnd, ok = s.scanNumber(vi); ok {
			f, ok = parseFloat(data[vi:vEnd])
		}

		v = f

	case string(elemTypeInt):
		var n int64
		if vEnd, ok = s.scanNumber(vi); ok {
			n, ok = parseInt(data[vi:vEnd], 32)
		}

		v = int32(n)

	case string(elemTypeLong):
		var n int64
		if vEnd, ok = s.scanNumber(vi); ok {
			n, ok = parseInt(data[vi:vEnd], 64)
		}

		v = n

	case string(elemTypeDate):
		var n int64
		if vEnd, ok = s.scanNumber(vi); ok {
			n, ok = parseInt(data[vi:vEnd], 64)
		}

		// as dateTimeType.UnmarshalJSON: local time, millisecond precision
		v = time.UnixMilli(n)

	case string(elemTypeTimestamp):
		var n uint64
		if vEnd, ok = s.scanNumber(vi); ok {
			n, ok = parseUint(data[vi:vEnd], 64)
		}

		v = types.Timestamp(n)

	case string(elemTypeBool):
		if vEnd, ok = s.literal(vi, "true"); ok {
			v = true
		} else if vEnd, ok = s.literal(vi, "false"); ok {
			v = false
		}

	case string(elemTypeObjectID):
		if vEnd, _, ok = s.scanString(vi); ok {
			var id objectIDType
			ok = id.UnmarshalJSON(data[vi:vEnd]) == nil
			v = types.ObjectID(id)
		}

	case string(elemTypeBinData):
		// rare: the subtype is read here, the base64 decoded as FerretDB always did
		if j, ok = s.expect(j, ','); ok {
			j, ok = s.expectKey(j, `"s"`)
		}

		var subtype uint64
		if ok {
			start := j
			if j, ok = s.scanNumber(start); ok {
				subtype, ok = parseUint(data[start:j], 8)
			}
		}

		if ok {
			if vEnd, _, ok = s.scanString(vi); ok {
				var bin binaryType
				sch := &elem{Subtype: pointer.To(types.BinarySubtype(subtype))}
				ok = bin.UnmarshalJSONWithSchema(data[vi:vEnd], sch) == nil
				v = types.Binary(bin)
			}
		}

	case string(elemTypeRegex):
		if j, ok = s.expect(j, ','); ok {
			j, ok = s.expectKey(j, `"o"`)
		}

		var options string
		if ok {
			start := j
			if j, flags, ok = s.scanString(start); ok && flags&strEscaped == 0 && utf8.Valid(data[start+1:j-1]) {
				options = string(data[start+1 : j-1])
			} else {
				ok = false
			}
		}

		if ok {
			if vEnd, _, ok = s.scanString(vi); ok {
				var re regexType
				ok = re.UnmarshalJSONWithSchema(data[vi:vEnd], &elem{Options: &options}) == nil
				v = types.Regex(re)
			}
		}

	default:
		// "null" with a value that is not null, or a type FerretDB does not know
		ok = false
	}

	if !ok {
		return nil, 0, 0, false
	}

	if j, ok = s.expect(j, '}'); !ok {
		return nil, 0, 0, false
	}

	return v, vEnd, j, true
}

// elemOfNull passes over the schema element of a null value. unmarshalSingleValue does not look
// at it, but Unmarshal decoded it with the rest of the schema and failed if it could not.
func (s *scanner) elemOfNull(ei, depth int) (eEnd int, ok bool) {
	if eEnd, ok = s.skipValue(ei, depth); !ok {
		return 0, false
	}

	// the usual {"t":"null"}, or any scalar's
	if j, ok := s.expect(ei, '{'); ok {
		if j, ok = s.expectKey(j, `"t"`); ok {
			if tEnd, flags, ok := s.scanString(j); ok && flags == 0 {
				if j, ok = s.expect(tEnd, '}'); ok && j == eEnd {
					return eEnd, true
				}
			}
		}
	}

	return eEnd, strictlyDecodes[*elem](s.data[ei:eEnd])
}

// strictlyDecodes reports whether the original decoder of a schema would take data as a T.
func strictlyDecodes[T any](data []byte) bool {
	r := bytes.NewReader(data)
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()

	var v T
	if err := dec.Decode(&v); err != nil {
		return false
	}

	return checkConsumed(dec, r) == nil
}

// parseFloat, parseInt and parseUint take a JSON number (already checked) as encoding/json
// takes it into a float64, an int32 or int64, a uint8 or uint64: with the same strconv call,
// failing where it would fail (out of range, or a fraction or exponent for an integer).
func parseFloat(b []byte) (float64, bool) {
	f, err := strconv.ParseFloat(string(b), 64)
	return f, err == nil
}

func parseInt(b []byte, bits int) (int64, bool) {
	n, err := strconv.ParseInt(string(b), 10, bits)
	return n, err == nil
}

func parseUint(b []byte, bits int) (uint64, bool) {
	n, err := strconv.ParseUint(string(b), 10, bits)
	return n, err == nil
}
