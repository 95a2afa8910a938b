package main

// The write front: FerretDB v1 applies an update, findAndModify or delete by reading
// the documents and writing them back, with nothing held in between. Two concurrent
// compare-and-set updates can then both succeed, and two concurrent $inc can lose one.
// MongoDB does not behave like that, and the product relies on single-document
// atomicity. So the front passes client connections through to FerretDB (on a private
// unix socket) and lets only one write command per database run at a time. Dropping a
// collection or a database waits for every other command on that database (SQLite may
// crash if a database file is removed under a running writer), and holds back only that
// database. Reads are never held back by writes.

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
)

const (
	opQuery = 2004
	opMsg   = 2013

	maxMessageBytes = 64 << 20
)

var writeCommands = map[string]bool{
	"insert": true, "update": true, "delete": true, "findandmodify": true,
	"create": true, "createindexes": true, "dropindexes": true, "collmod": true,
}

var exclusiveCommands = map[string]bool{"drop": true, "dropdatabase": true, "renamecollection": true}

type writeFront struct {
	backendSocket string
	logger        *slog.Logger

	mu        sync.Mutex // guards databases
	databases map[string]*databaseLocks
}

type databaseLocks struct {
	exclusive sync.RWMutex // held for reading by every command, for writing by drops
	writes    sync.Mutex   // one write command at a time
}

func newWriteFront(backendSocket string, logger *slog.Logger) *writeFront {
	return &writeFront{backendSocket: backendSocket, logger: logger, databases: map[string]*databaseLocks{}}
}

// serve accepts connections until the listener is closed.
func (f *writeFront) serve(listener net.Listener) {
	for {
		conn, err := listener.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			f.logger.Warn("accept failed", "error", err)
			continue
		}
		go f.relay(conn)
	}
}

func (f *writeFront) relay(client net.Conn) {
	defer client.Close()
	backend, err := net.Dial("unix", f.backendSocket)
	if err != nil {
		f.logger.Error("cannot reach FerretDB", "error", err)
		return
	}
	defer backend.Close()
	for {
		request, err := readMessage(client)
		if err != nil {
			return
		}
		command := parseCommand(request)
		reply, err := f.roundTrip(backend, request, command)
		if err != nil {
			return
		}
		if reply != nil {
			if _, err := client.Write(reply); err != nil {
				return
			}
		}
	}
}

func (f *writeFront) roundTrip(backend net.Conn, request []byte, command command) ([]byte, error) {
	unlock := f.lock(command)
	defer unlock()
	if _, err := backend.Write(request); err != nil {
		return nil, err
	}
	if command.moreToCome {
		return nil, nil
	}
	return readMessage(backend)
}

func (f *writeFront) lock(command command) (unlock func()) {
	database := f.locksOf(command.database)
	switch {
	case exclusiveCommands[command.name]:
		database.exclusive.Lock()
		return database.exclusive.Unlock
	case writeCommands[command.name]:
		database.exclusive.RLock()
		database.writes.Lock()
		return func() { database.writes.Unlock(); database.exclusive.RUnlock() }
	default:
		database.exclusive.RLock()
		return database.exclusive.RUnlock
	}
}

func (f *writeFront) locksOf(name string) *databaseLocks {
	f.mu.Lock()
	defer f.mu.Unlock()
	locks, ok := f.databases[name]
	if !ok {
		locks = &databaseLocks{}
		f.databases[name] = locks
	}
	return locks
}

func readMessage(r io.Reader) ([]byte, error) {
	var header [4]byte
	if _, err := io.ReadFull(r, header[:]); err != nil {
		return nil, err
	}
	length := int(binary.LittleEndian.Uint32(header[:]))
	if length < 16 || length > maxMessageBytes {
		return nil, fmt.Errorf("bad message length %d", length)
	}
	message := make([]byte, length)
	copy(message, header[:])
	if _, err := io.ReadFull(r, message[4:]); err != nil {
		return nil, err
	}
	return message, nil
}

type command struct {
	name       string // lower-cased
	database   string
	moreToCome bool // no reply expected
}

// parseCommand reads the command name and $db of an OP_MSG, or the name and namespace of
// an OP_QUERY (used only by a driver's first handshake).
func parseCommand(message []byte) command {
	switch binary.LittleEndian.Uint32(message[12:16]) {
	case opMsg:
		return parseOpMsg(message)
	case opQuery:
		return parseOpQuery(message)
	}
	return command{}
}

func parseOpMsg(message []byte) command {
	if len(message) < 21 {
		return command{}
	}
	flags := binary.LittleEndian.Uint32(message[16:20])
	result := command{moreToCome: flags&2 != 0}
	for at := 20; at < len(message); {
		kind := message[at]
		at++
		if kind == 0 {
			name, database := commandOf(message[at:])
			result.name, result.database = name, database
			return result
		}
		if at+4 > len(message) {
			break
		}
		at += int(binary.LittleEndian.Uint32(message[at : at+4]))
	}
	return result
}

func parseOpQuery(message []byte) command {
	at := 20
	start := at
	for at < len(message) && message[at] != 0 {
		at++
	}
	namespace := string(message[start:at])
	at += 1 + 8 // the cstring's NUL, numberToSkip, numberToReturn
	if at >= len(message) {
		return command{}
	}
	name, _ := commandOf(message[at:])
	database, _, _ := strings.Cut(namespace, ".")
	return command{name: name, database: database}
}

// commandOf returns the first key of a BSON document (the command's name) and its $db.
func commandOf(document []byte) (name, database string) {
	if len(document) < 5 {
		return "", ""
	}
	end := int(binary.LittleEndian.Uint32(document[:4]))
	if end > len(document) {
		end = len(document)
	}
	for at := 4; at < end-1; {
		kind := document[at]
		key, next, ok := cstring(document, at+1)
		if !ok {
			break
		}
		if name == "" {
			name = strings.ToLower(key)
		}
		size, ok := valueSize(document, kind, next)
		if !ok {
			break
		}
		if key == "$db" && kind == 0x02 {
			database = string(document[next+4 : next+size-1])
		}
		at = next + size
	}
	return name, database
}

func cstring(b []byte, at int) (string, int, bool) {
	for i := at; i < len(b); i++ {
		if b[i] == 0 {
			return string(b[at:i]), i + 1, true
		}
	}
	return "", 0, false
}

// valueSize is the size in bytes of the BSON value of type kind that starts at b[at].
func valueSize(b []byte, kind byte, at int) (int, bool) {
	int32At := func(offset int) (int, bool) {
		if at+offset+4 > len(b) {
			return 0, false
		}
		return int(int32(binary.LittleEndian.Uint32(b[at+offset:]))), true
	}
	switch kind {
	case 0x01, 0x09, 0x11, 0x12: // double, datetime, timestamp, int64
		return 8, true
	case 0x02, 0x0D, 0x0E: // string, JavaScript, symbol
		n, ok := int32At(0)
		return 4 + n, ok
	case 0x03, 0x04, 0x0F: // document, array, code with scope
		return int32At(0)
	case 0x05: // binary
		n, ok := int32At(0)
		return 5 + n, ok
	case 0x06, 0x0A, 0x7F, 0xFF: // undefined, null, maxKey, minKey
		return 0, true
	case 0x07: // ObjectId
		return 12, true
	case 0x08: // bool
		return 1, true
	case 0x0B: // regex: two cstrings
		_, afterPattern, ok := cstring(b, at)
		if !ok {
			return 0, false
		}
		_, afterOptions, ok := cstring(b, afterPattern)
		return afterOptions - at, ok
	case 0x0C: // DBPointer
		n, ok := int32At(0)
		return 4 + n + 12, ok
	case 0x10: // int32
		return 4, true
	case 0x13: // decimal128
		return 16, true
	}
	return 0, false
}
