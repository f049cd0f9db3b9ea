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

package sqlite

import (
	"fmt"
	"strings"

	"github.com/FerretDB/FerretDB/internal/backends/sqlite/metadata"
	"github.com/FerretDB/FerretDB/internal/handler/sjson"
	"github.com/FerretDB/FerretDB/internal/types"
	"github.com/FerretDB/FerretDB/internal/util/must"
)

// maxPushdownValues bounds the bound parameters of one $in, far below SQLite's default limit of
// 32,766 variables; a larger $in is left to the handler's scan.
const maxPushdownValues = 10_000

// prepareWhereClause turns the top-level equality and $in conditions of filter on indexed fields
// into a WHERE clause that SQLite answers from those indexes.
//
// The clause only ever selects a superset of the documents the filter matches: the handler
// applies the whole filter to every row afterwards. So a condition is pushed down only when its
// SQL form cannot miss a match:
//   - values are strings or ObjectIDs, whose sjson form is a JSON string; SQLite's `->` yields the
//     same JSON text for the stored field, so equal values compare equal as text (a string that
//     spells an ObjectID's hex matches too: a superset, filtered later);
//   - a field holding an array matches when an element equals the value, and `->` yields the
//     whole array's JSON text, so every row whose field is an array (text from '[' up to, not
//     including, '\', the next byte) is kept as well;
//   - missing fields, nulls, numbers, documents and other types never equal a string or an
//     ObjectID in MongoDB, and their JSON text never equals a JSON string or starts with '['.
//
// The field expression is written exactly as metadata.Registry writes it when it creates an
// index (`_ferretdb_sjson->"field"`), because SQLite matches expression indexes by their form.
func prepareWhereClause(meta *metadata.Collection, filter *types.Document) (string, []any) {
	if filter == nil || filter.Len() == 0 {
		return "", nil
	}

	indexed := map[string]struct{}{"_id": {}}

	for _, index := range meta.Settings.Indexes {
		for _, key := range index.Key {
			indexed[key.Field] = struct{}{}
		}
	}

	var conds []string
	var args []any

	for _, field := range filter.Keys() {
		if !plainFieldName(field) {
			continue
		}

		if _, ok := indexed[field]; !ok {
			continue
		}

		values := pushdownValues(must.NotFail(filter.Get(field)))
		if len(values) == 0 {
			continue
		}

		expr := fmt.Sprintf("%s->%q", metadata.DefaultColumn, field)
		placeholders := make([]string, len(values))

		for i, v := range values {
			placeholders[i] = "?"
			args = append(args, string(must.NotFail(sjson.MarshalSingleValue(v))))
		}

		cond := fmt.Sprintf("%s IN (%s)", expr, strings.Join(placeholders, ", "))

		// MongoDB refuses arrays as _id, so only other fields need the array rows.
		if field != "_id" {
			cond = fmt.Sprintf(`(%s OR (%s >= '[' AND %s < '\'))`, cond, expr, expr)
		}

		conds = append(conds, cond)
	}

	if len(conds) == 0 {
		return "", nil
	}

	return " WHERE " + strings.Join(conds, " AND "), args
}

// plainFieldName reports whether a top-level field name can be written as an SQLite JSON label
// that means exactly that key: Go's %q quoting and SQLite's label rules agree only on plain names
// (a '.', '[', '\' or '$' would be read as path syntax or an escape).
func plainFieldName(field string) bool {
	if field == "" || field[0] == '$' {
		return false
	}

	// A double-quoted name is an identifier first and a string only if no column has that name,
	// and every table has the column rowid, alias oid and _rowid_: `->"oid"` reads the row's id.
	switch strings.ToLower(field) {
	case "rowid", "oid", "_rowid_":
		return false
	}

	for _, r := range field {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '-':
		default:
			return false
		}
	}

	return true
}

// pushdownValues returns the values a field's condition requires it to equal (one of them), or
// nil when the condition is not an equality or $in over strings and ObjectIDs only.
func pushdownValues(v any) []any {
	switch v := v.(type) {
	case string, types.ObjectID:
		return []any{v}

	case *types.Document:
		// An operator document: every key starts with '$'. A document without operators is an
		// exact match on an embedded document, which is not pushed down.
		keys := v.Keys()
		if len(keys) == 0 {
			return nil
		}

		for _, k := range keys {
			if !strings.HasPrefix(k, "$") {
				return nil
			}
		}

		// The operators are ANDed, so either $eq or $in alone narrows to a superset.
		if eq, err := v.Get("$eq"); err == nil {
			return pushdownValues(eq)
		}

		in, err := v.Get("$in")
		if err != nil {
			return nil
		}

		arr, ok := in.(*types.Array)
		if !ok || arr.Len() == 0 || arr.Len() > maxPushdownValues {
			return nil
		}

		values := make([]any, 0, arr.Len())

		for i := 0; i < arr.Len(); i++ {
			switch e := must.NotFail(arr.Get(i)).(type) {
			case string, types.ObjectID:
				values = append(values, e)
			default:
				// null, regex, numbers, documents…: matched by rules the SQL form does not follow.
				return nil
			}
		}

		return values
	}

	return nil
}
