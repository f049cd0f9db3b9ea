package main

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the same pure-Go SQLite driver FerretDB uses
)

// FerretDB v1.24.2's SQLite backend indexes _id as `_ferretdb_sjson->"_id"` but queries it as
// `_ferretdb_sjson->'$._id'`. SQLite matches expression indexes by their text, so every lookup by
// _id (sessions, users, attempts…) scans the whole table. We add the index the query can use, for
// every collection table, as tables appear. FerretDB does not track this index; it is dropped with
// its table when FerretDB drops the collection.
type idIndexer struct {
	dir    string
	logger *slog.Logger
}

func (x *idIndexer) run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		x.pass(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (x *idIndexer) pass(ctx context.Context) {
	files, _ := filepath.Glob(filepath.Join(x.dir, "*.sqlite"))
	for _, file := range files {
		if err := x.indexFile(ctx, file); err != nil {
			x.logger.Debug("id index pass failed", "file", file, "error", err)
		}
	}
}

func (x *idIndexer) indexFile(ctx context.Context, file string) error {
	if _, err := os.Stat(file); err != nil {
		return err
	}
	db, err := sql.Open("sqlite", "file:"+file+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)

	// Only tables still lacking the index: a dropped and re-created database starts without it.
	rows, err := db.QueryContext(ctx, `SELECT c.table_name FROM _ferretdb_collections c
		WHERE NOT EXISTS (SELECT 1 FROM sqlite_master m WHERE m.type = 'index' AND m.name = c.table_name || '__id_path')`)
	if err != nil {
		return err
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err == nil {
			tables = append(tables, name)
		}
	}
	rows.Close()

	for _, table := range tables {
		quoted := strings.ReplaceAll(table, `"`, `""`)
		stmt := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS "%s__id_path" ON "%s" (_ferretdb_sjson->'$._id')`, quoted, quoted)
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			x.logger.Debug("cannot add _id index", "table", table, "error", err)
		}
	}
	return nil
}
