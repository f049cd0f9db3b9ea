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

package handler

import (
	"strings"

	"github.com/FerretDB/FerretDB/internal/types"
	"github.com/FerretDB/FerretDB/internal/util/must"
)

// excludedFields returns the top-level fields that a pure exclusion projection (`{questions: 0}`)
// drops and that neither the filter nor the sort reads, so the backend need not decode them: the
// documents that come back are the same as if they were decoded and then projected away. Anything
// else (an inclusion, a dotted path, an operator, a filter that could read any field) gives nil.
func excludedFields(projection, filter, sort *types.Document) []string {
	if projection == nil || projection.Len() == 0 {
		return nil
	}

	var fields []string

	for _, key := range projection.Keys() {
		if key == "_id" || key == "" || strings.ContainsAny(key, ".$") {
			return nil
		}

		switch v := must.NotFail(projection.Get(key)).(type) {
		case int32:
			if v != 0 {
				return nil
			}
		case int64:
			if v != 0 {
				return nil
			}
		case float64:
			if v != 0 {
				return nil
			}
		case bool:
			if v {
				return nil
			}
		default:
			return nil
		}

		fields = append(fields, key)
	}

	read := map[string]struct{}{}
	if !fieldsRead(filter, read) {
		return nil
	}

	if sort != nil {
		for _, key := range sort.Keys() {
			read[strings.SplitN(key, ".", 2)[0]] = struct{}{}
		}
	}

	for _, f := range fields {
		if _, ok := read[f]; ok {
			return nil
		}
	}

	return fields
}

// fieldsRead adds the first path segment of every field the filter names, through $and, $or and
// $nor; it reports false for an operator that may read fields it does not name ($expr, $where, …).
func fieldsRead(filter *types.Document, into map[string]struct{}) bool {
	if filter == nil {
		return true
	}

	for _, key := range filter.Keys() {
		if !strings.HasPrefix(key, "$") {
			into[strings.SplitN(key, ".", 2)[0]] = struct{}{}
			continue
		}

		switch key {
		case "$and", "$or", "$nor":
			arr, ok := must.NotFail(filter.Get(key)).(*types.Array)
			if !ok {
				return false
			}

			for i := 0; i < arr.Len(); i++ {
				sub, ok := must.NotFail(arr.Get(i)).(*types.Document)
				if !ok || !fieldsRead(sub, into) {
					return false
				}
			}
		case "$comment":
		default:
			return false
		}
	}

	return true
}
