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
	"encoding/json"
	"slices"

	"github.com/FerretDB/FerretDB/internal/types"
	"github.com/FerretDB/FerretDB/internal/util/lazyerrors"
	"github.com/FerretDB/FerretDB/internal/util/must"
)

// UnmarshalExcept is Unmarshal for a top-level document, leaving out the given top-level fields:
// neither their values nor their schemas are decoded. A quiz attempt's drawn questions, say, cost
// most of the time spent reading it and a report that excludes them never needed them.
func UnmarshalExcept(data []byte, exclude []string) (*types.Document, error) {
	if len(exclude) == 0 {
		return Unmarshal(data)
	}

	if doc, ok := fastUnmarshal(data, exclude); ok {
		return doc, nil
	}

	return unmarshalExceptOriginal(data, exclude)
}

// unmarshalExceptOriginal is UnmarshalExcept by encoding/json, for what fastUnmarshal leaves.
func unmarshalExceptOriginal(data []byte, exclude []string) (*types.Document, error) {
	var v map[string]json.RawMessage
	if err := json.Unmarshal(data, &v); err != nil {
		return nil, lazyerrors.Error(err)
	}

	jsch, ok := v["$s"]
	if !ok {
		return nil, lazyerrors.Errorf("schema is not set")
	}

	// the schema's properties stay raw until a kept field needs its own
	var sch struct {
		Properties map[string]json.RawMessage `json:"p"`
		Keys       []string                   `json:"$k"`
	}
	if err := json.Unmarshal(jsch, &sch); err != nil {
		return nil, lazyerrors.Error(err)
	}

	delete(v, "$s")

	if len(sch.Keys) != len(v) {
		return nil, lazyerrors.Errorf(
			"sjson.UnmarshalExcept: the data must have the same number of schema keys and document fields (keys: %d, fields: %d)",
			len(sch.Keys), len(v),
		)
	}

	d := must.NotFail(types.NewDocument())

	for _, key := range sch.Keys {
		if slices.Contains(exclude, key) {
			continue
		}

		b, ok := v[key]
		if !ok {
			return nil, lazyerrors.Errorf("sjson.UnmarshalExcept: missing key %q", key)
		}

		var e *elem
		if raw, ok := sch.Properties[key]; ok {
			if err := json.Unmarshal(raw, &e); err != nil {
				return nil, lazyerrors.Error(err)
			}
		}

		value, err := unmarshalSingleValue(b, e)
		if err != nil {
			return nil, lazyerrors.Error(err)
		}

		d.Set(key, value)
	}

	return d, nil
}
