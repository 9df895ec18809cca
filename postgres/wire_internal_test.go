package postgres

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/jackc/pgx/v5/pgxpool"
	"pgregory.net/rapid"
)

// unicodeNoNUL is every code point from U+0001 on: text PostgreSQL
// holds.
var unicodeNoNUL = unicode.RangeTable{R16: []unicode.Range16{{Lo: 1, Hi: 0xd7ff, Stride: 1}, {Lo: 0xe000, Hi: 0xffff, Stride: 1}},
	R32: []unicode.Range32{{Lo: 0x10000, Hi: 0x10ffff, Stride: 1}}}

// TestArrayParams_roundTrip checks the binary arrays arrayParams writes
// against pgx's own encoding of the same values: the database reads both
// as the same arrays, empty ones, instants before 2000 and far-off ones,
// and any text included.
func TestArrayParams_roundTrip(t *testing.T) {
	conn := internalConn(t)
	const sql = `SELECT $1::text[]::text, $2::int8[]::text, $3::int4[]::text, $4::bool[]::text, $5::timestamptz[]::text`
	oids := []uint32{oidTextArray, oidInt8Array, oidInt4Array, oidBoolArray, oidTimestamptzArray}
	// Text PostgreSQL holds: no NUL, valid UTF-8.
	text := rapid.StringOf(rapid.RuneFrom(nil, &unicodeNoNUL))
	rapid.Check(t, func(rt *rapid.T) {
		n := rapid.IntRange(0, 5)
		args := []any{
			rapid.SliceOfN(text, n.Draw(rt, "texts"), -1).Draw(rt, "text"),
			rapid.SliceOfN(rapid.Int64(), n.Draw(rt, "int8s"), -1).Draw(rt, "int8"),
			rapid.SliceOfN(rapid.Int32(), n.Draw(rt, "int4s"), -1).Draw(rt, "int4"),
			rapid.SliceOfN(rapid.Bool(), n.Draw(rt, "bools"), -1).Draw(rt, "bool"),
			rapid.SliceOfN(rapid.Custom(func(t *rapid.T) time.Time {
				// Microseconds, the precision timestamptz keeps, from
				// year 1 to 9999, in any zone.
				us := rapid.Int64Range(-62135596800_000000, 253402300799_000000).Draw(t, "us")
				return time.UnixMicro(us).In(time.FixedZone("z", rapid.IntRange(-12, 14).Draw(t, "zone")*3600))
			}), n.Draw(rt, "times"), -1).Draw(rt, "timestamptz"),
		}
		values, formats, err := arrayParams(oids, args)
		if err != nil {
			rt.Fatal(err)
		}
		readsAsPgx(rt, conn, sql, values, oids, formats, args)
	})
}

// readsAsPgx fails t unless the database reads values, in formats, as
// the parameters of sql (of types oids) as it reads pgx's encoding of
// args: sql returns each parameter as text.
func readsAsPgx(t *rapid.T, conn *pgxpool.Conn, sql string, values [][]byte, oids []uint32, formats []int16, args []any) {
	ctx := context.Background()
	rr := conn.Conn().PgConn().ExecParams(ctx, sql, values, oids, formats, nil).Read()
	if rr.Err != nil {
		t.Fatalf("the database refused the parameters: %v", rr.Err)
	}
	got := make([]string, len(rr.Rows[0]))
	for i, v := range rr.Rows[0] {
		got[i] = string(v)
	}
	want := make([]string, len(args))
	ptrs := make([]any, len(args))
	for i := range want {
		ptrs[i] = &want[i]
	}
	if err := conn.QueryRow(ctx, sql, args...).Scan(ptrs...); err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("the parameters read back as\n%q\npgx's as\n%q", got, want)
	}
}

// TestArrayParams_types checks that an argument the statement declares
// another type for, or one arrayParams does not write, is an error.
func TestArrayParams_types(t *testing.T) {
	for _, c := range []struct {
		oids []uint32
		args []any
	}{
		{[]uint32{oidInt8Array}, []any{[]string{"a"}}},
		{[]uint32{oidTextArray}, []any{[]int{1}}},
		{[]uint32{oidTextArray, oidTextArray}, []any{[]string{"a"}}},
	} {
		if _, _, err := arrayParams(c.oids, c.args); err == nil {
			t.Errorf("arrayParams(%v, %#v) = nil error", c.oids, c.args)
		}
	}
}

// internalConn is a connection of internalPool's, released when t ends.
func internalConn(t *testing.T) *pgxpool.Conn {
	t.Helper()
	conn, err := internalPool(t).Acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(conn.Release)
	return conn
}

// internalPool opens a pool on the test database for this package's
// own tests, closed when t ends; it skips t, saying why, when the
// database is not set.
func internalPool(t *testing.T) *pgxpool.Pool {
	t.Helper()
	url := os.Getenv("LEADLINE_TEST_DATABASE_URL")
	if url == "" {
		t.Skip("LEADLINE_TEST_DATABASE_URL is not set: set it to a PostgreSQL URL (postgres://postgres@127.0.0.1:5432/test?sslmode=disable) to run the postgres tests")
	}
	pool, err := pgxpool.New(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// TestScalarParams_roundTrip checks the values scalarParams writes, a
// single write's parameters, against pgx's own encoding of the same
// values: the database reads both alike, text bound for text and jsonb
// parameters, instants before 2000 and far-off ones included.
func TestScalarParams_roundTrip(t *testing.T) {
	conn := internalConn(t)
	const sql = `SELECT $1::text, $2::int8::text, $3::bool::text, $4::timestamptz::text, $5::jsonb::text`
	text := rapid.StringOf(rapid.RuneFrom(nil, &unicodeNoNUL))
	rapid.Check(t, func(rt *rapid.T) {
		s := text.Draw(rt, "text")
		n := rapid.Int64().Draw(rt, "int8")
		b := rapid.Bool().Draw(rt, "bool")
		us := rapid.Int64Range(-62135596800_000000, 253402300799_000000).Draw(rt, "us")
		at := time.UnixMicro(us).In(time.FixedZone("z", rapid.IntRange(-12, 14).Draw(rt, "zone")*3600))
		name, err := json.Marshal(text.Draw(rt, "json"))
		if err != nil {
			rt.Fatal(err)
		}
		js := `{"name": ` + string(name) + `}`
		var p scalarParams
		p.text(s)
		p.int8(n)
		p.boolean(b)
		p.timestamptz(at)
		p.text(js)
		oids := []uint32{oidText, oidInt8, oidBool, oidTimestamptz, oidJSONB}
		values, formats, err := p.values(oids)
		if err != nil {
			rt.Fatal(err)
		}
		readsAsPgx(rt, conn, sql, values, oids, formats, []any{s, n, b, at, js})
	})
}

// TestScalarParams_types checks that a value the statement declares
// another type for, or a count of values it does not take, is an error,
// and that a string goes to any parameter that reads text.
func TestScalarParams_types(t *testing.T) {
	var p scalarParams
	p.text("a")
	p.int8(1)
	for _, c := range []struct {
		oids []uint32
		ok   bool
	}{
		{[]uint32{oidText, oidInt8}, true},
		{[]uint32{oidVarchar, oidInt8}, true},
		{[]uint32{oidJSON, oidInt8}, true},
		{[]uint32{oidJSONB, oidInt8}, true},
		{[]uint32{oidInt8, oidInt8}, false},
		{[]uint32{oidText, oidInt4}, false},
		{[]uint32{oidText, oidText}, false},
		{[]uint32{oidText}, false},
		{[]uint32{oidText, oidInt8, oidBool}, false},
	} {
		values, formats, err := p.values(c.oids)
		if (err == nil) != c.ok {
			t.Errorf("values(%v) = %v; want ok %v", c.oids, err, c.ok)
			continue
		}
		if c.ok && (string(values[0]) != "a" || formats[0] != 0 || formats[1] != 1 || len(values[1]) != 8) {
			t.Errorf("values(%v) = %q, %v; want the text as it is, then 8 bytes in binary", c.oids, values, formats)
		}
	}
}
