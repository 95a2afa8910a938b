// Command ferretdb is a tiny local-dev wrapper around FerretDB's public,
// embeddable package (github.com/FerretDB/FerretDB/ferretdb).
//
// Why a wrapper: `go install github.com/FerretDB/FerretDB/cmd/ferretdb@v1.24.2`
// builds, but the binary panics at start-up because the module zip lacks the
// generated build/version/version.txt. The embeddable package skips that check
// and also disables telemetry unconditionally.
//
// It also puts a write front before FerretDB (writefront.go), so that single-document
// updates are atomic as they are in MongoDB.
//
// Built and run by deploy/local/infra; not meant to be used directly.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen-addr", "127.0.0.1:27017", "TCP listen address")
	handler := flag.String("handler", "sqlite", "backend handler: sqlite or postgresql")
	sqliteURL := flag.String("sqlite-url", "file:data/", "SQLite URI (directory) for the sqlite handler")
	postgresqlURL := flag.String("postgresql-url", "", "PostgreSQL URL for the postgresql handler")
	// FerretDB logs every error reply (even pymongo's unsupported endSessions) at WARN,
	// so the default is "error".
	logLevel := flag.String("log-level", "error", "log level: debug, info, warn or error")
	flag.Parse()

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: bad -log-level: %v\n", err)
		os.Exit(2)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	slog.SetDefault(logger)

	socketDir, err := os.MkdirTemp("", "ferretdb-")
	if err != nil {
		fail(logger, "cannot create a directory for FerretDB's socket", err)
	}
	defer os.RemoveAll(socketDir)
	backendSocket := filepath.Join(socketDir, "ferretdb.sock")

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:      ferretdb.ListenerConfig{Unix: backendSocket},
		Logger:        logger,
		Handler:       *handler,
		SQLiteURL:     *sqliteURL,
		PostgreSQLURL: *postgresqlURL,
	})
	if err != nil {
		fail(logger, "failed to start", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	stopped := make(chan error, 1)
	go func() { stopped <- f.Run(ctx) }()
	f.MongoDBURI() // blocks until FerretDB's own listener is bound

	listener, err := net.Listen("tcp", *listen)
	if err != nil {
		fail(logger, "cannot listen", err)
	}
	go func() { <-ctx.Done(); listener.Close() }()
	note("listening on %s (handler %s, %s, one write per database at a time)", *listen, *handler, *sqliteURL)
	newWriteFront(backendSocket, logger).serve(listener)

	if err := <-stopped; err != nil {
		fail(logger, "stopped with error", err)
	}
	note("stopped")
}

func fail(logger *slog.Logger, message string, err error) {
	logger.Error(message, "error", err)
	os.Exit(1)
}

// note writes a lifecycle line regardless of -log-level.
func note(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%s ferretdb: %s\n", time.Now().UTC().Format(time.RFC3339), fmt.Sprintf(format, args...))
}
