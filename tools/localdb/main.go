// Command localdb runs FerretDB v1 with its SQLite handler as SDG Learn's local
// MongoDB-compatible database. FerretDB's own command cannot be `go install`ed
// (it panics without a generated version file), so we embed its library instead.
//
// It is built with the files in _ferretdb/ laid over a copy of FerretDB's module
// (see _ferretdb/README.md): they push indexed equality and $in filters down to SQLite.
//
// It listens on the given loopback address (port 0 picks a free port) and prints
// one line, `READY mongodb://host:port/`, once it accepts connections, so the
// launcher that started it knows where to connect without racing for a port.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "TCP address to listen on")
	dir := flag.String("dir", "./data/db", "directory for the SQLite files")
	logLevel := flag.String("log-level", "warn", "debug, info, warn or error")
	flag.Parse()

	// Most of what a query costs here is garbage: each document read is decoded from its JSON into
	// fresh values. The heap is small (tens of MB), so collecting at 4× the live heap instead of 2×
	// costs little memory and measured a quarter less CPU per find by _id. GOGC still wins if set.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}

	abs, err := filepath.Abs(*dir)
	if err != nil {
		fail(err)
	}
	if err := os.MkdirAll(abs, 0o700); err != nil {
		fail(err)
	}

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fail(err)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *listen},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: "file:" + abs + "/",
	})
	if err != nil {
		fail(err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := f.Run(ctx); err != nil {
			logger.Error("ferretdb stopped", "error", err)
		}
	}()

	// MongoDBURI waits until the listener is bound, so the line below means "ready".
	uri := f.MongoDBURI()
	fmt.Printf("READY %s\n", uri)

	<-done
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "localdb: %v\n", err)
	os.Exit(1)
}
