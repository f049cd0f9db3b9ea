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
	"unicode/utf8"
)

// The scanner behind fast_unmarshal.go. It validates everything it passes over as strictly as
// encoding/json's own syntax check does, so that a document the fast path accepts is one
// encoding/json would have accepted too; it only ever answers "not here" (ok false), never why:
// the caller then decodes the whole document the original way, which gives the original error.

// maxFastDepth bounds the nesting the scanner follows; deeper input goes the original way (which
// has its own, larger limit), so the scanner's recursion stays shallow.
const maxFastDepth = 200

// span is a value's bytes in the scanned input: exactly the bytes json.RawMessage would hold.
type span struct {
	start, end int
}

// scanner holds the input, and the keys and values of every object or array level being
// decoded as two stacks: a level appends its own, reads them by index and truncates them when
// done, so that one Unmarshal allocates them once rather than once per level.
type scanner struct {
	data []byte
	keys []span
	vals []any
}

func (s *scanner) bytes(sp span) []byte {
	return s.data[sp.start:sp.end]
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t'
}

func (s *scanner) skipSpace(i int) int {
	for i < len(s.data) && isSpace(s.data[i]) {
		i++
	}

	return i
}

// Flags scanString reports about a string's contents.
const (
	strEscaped  = 1 << iota // a backslash escape: encoding/json must decode it
	strNonASCII             // bytes ≥ 0x80: valid UTF-8 is kept as it is, invalid is replaced
)

// scanString checks the JSON string starting at s.data[i] (a quote) and returns the index after
// its closing quote.
func (s *scanner) scanString(i int) (end int, flags int, ok bool) {
	data := s.data
	if i >= len(data) || data[i] != '"' {
		return 0, 0, false
	}

	for i++; i < len(data); i++ {
		c := data[i]

		switch {
		case c == '"':
			return i + 1, flags, true
		case c == '\\':
			flags |= strEscaped
			i++

			if i >= len(data) {
				return 0, 0, false
			}

			switch data[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if i+4 >= len(data) {
					return 0, 0, false
				}

				for _, h := range data[i+1 : i+5] {
					if !isHex(h) {
						return 0, 0, false
					}
				}

				i += 4
			default:
				return 0, 0, false
			}
		case c < 0x20:
			return 0, 0, false
		case c >= 0x80:
			flags |= strNonASCII
		}
	}

	return 0, 0, false
}

func isHex(c byte) bool {
	return ('0' <= c && c <= '9') || ('a' <= c && c <= 'f') || ('A' <= c && c <= 'F')
}

func isDigit(c byte) bool {
	return '0' <= c && c <= '9'
}

// scanNumber checks the JSON number starting at s.data[i] and returns the index after it.
func (s *scanner) scanNumber(i int) (end int, ok bool) {
	data := s.data
	n := len(data)

	if i < n && data[i] == '-' {
		i++
	}

	switch {
	case i < n && data[i] == '0':
		i++
	case i < n && '1' <= data[i] && data[i] <= '9':
		for i++; i < n && isDigit(data[i]); i++ {
		}
	default:
		return 0, false
	}

	if i < n && data[i] == '.' {
		i++
		if i >= n || !isDigit(data[i]) {
			return 0, false
		}

		for i++; i < n && isDigit(data[i]); i++ {
		}
	}

	if i < n && (data[i] == 'e' || data[i] == 'E') {
		i++
		if i < n && (data[i] == '+' || data[i] == '-') {
			i++
		}

		if i >= n || !isDigit(data[i]) {
			return 0, false
		}

		for i++; i < n && isDigit(data[i]); i++ {
		}
	}

	return i, true
}

// skipValue checks the JSON value starting at s.data[i] (no leading space) and returns the index
// after it.
func (s *scanner) skipValue(i, depth int) (end int, ok bool) {
	if i >= len(s.data) {
		return 0, false
	}

	switch c := s.data[i]; {
	case c == '"':
		end, _, ok = s.scanString(i)
		return end, ok
	case c == '{' || c == '[':
		if depth >= maxFastDepth {
			return 0, false
		}

		return s.skipComposite(i, depth+1)
	case c == '-' || isDigit(c):
		return s.scanNumber(i)
	case c == 't':
		return s.literal(i, "true")
	case c == 'f':
		return s.literal(i, "false")
	case c == 'n':
		return s.literal(i, "null")
	}

	return 0, false
}

// skipComposite checks the JSON object or array starting at s.data[i] and returns the index after it.
func (s *scanner) skipComposite(i, depth int) (end int, ok bool) {
	data := s.data
	object := data[i] == '{'

	closing := byte(']')
	if object {
		closing = '}'
	}

	i = s.skipSpace(i + 1)
	if i < len(data) && data[i] == closing {
		return i + 1, true
	}

	for {
		if object {
			if i, _, ok = s.scanString(i); !ok {
				return 0, false
			}

			if i, ok = s.expect(i, ':'); !ok {
				return 0, false
			}

			i = s.skipSpace(i)
		}

		if i, ok = s.skipValue(i, depth); !ok {
			return 0, false
		}

		i = s.skipSpace(i)
		if i >= len(data) {
			return 0, false
		}

		switch data[i] {
		case ',':
			i = s.skipSpace(i + 1)
		case closing:
			return i + 1, true
		default:
			return 0, false
		}
	}
}

func (s *scanner) literal(i int, lit string) (end int, ok bool) {
	if len(s.data)-i < len(lit) || string(s.data[i:i+len(lit)]) != lit {
		return 0, false
	}

	return i + len(lit), true
}

// expect skips space from i and then the byte c, returning the index after it.
func (s *scanner) expect(i int, c byte) (end int, ok bool) {
	i = s.skipSpace(i)
	if i >= len(s.data) || s.data[i] != c {
		return 0, false
	}

	return i + 1, true
}

// expectKey skips space from i and then the member name key (quoted, as it is written by
// FerretDB) and its colon, returning the index after the colon and any space after it.
func (s *scanner) expectKey(i int, key string) (end int, ok bool) {
	i = s.skipSpace(i)
	if len(s.data)-i < len(key) || string(s.data[i:i+len(key)]) != key {
		return 0, false
	}

	if i, ok = s.expect(i+len(key), ':'); !ok {
		return 0, false
	}

	return s.skipSpace(i), true
}

// plainKey checks the member name starting at s.data[i] (a quote): it must have no escape and be
// valid UTF-8, so that its bytes are the key encoding/json would decode and two keys are the same
// key exactly when their bytes are equal. It returns the key's bytes without quotes and the index
// after the colon that follows (and any space after it).
func (s *scanner) plainKey(i int) (key span, end int, ok bool) {
	keyEnd, flags, ok := s.scanString(i)
	if !ok || flags&strEscaped != 0 {
		return span{}, 0, false
	}

	key = span{i + 1, keyEnd - 1}
	if flags&strNonASCII != 0 && !utf8.Valid(s.bytes(key)) {
		return span{}, 0, false
	}

	if end, ok = s.expect(keyEnd, ':'); !ok {
		return span{}, 0, false
	}

	return key, s.skipSpace(end), true
}

// is reports whether the value sp is exactly the literal lit.
func (s *scanner) is(sp span, lit string) bool {
	return string(s.bytes(sp)) == lit
}

// sameKey reports whether two plain keys are the same.
func (s *scanner) sameKey(a, b span) bool {
	return bytes.Equal(s.bytes(a), s.bytes(b))
}
