package postgres

import (
	"encoding/binary"
	"fmt"
	"strconv"
	"time"
)

// A batch write's parameters are arrays of tens of thousands of values;
// pgx encodes an array through an interface value per element, and
// copies the whole at every doubling of its buffer: a third of a
// sweep's client CPU went there. arrayParams writes them in
// PostgreSQL's binary array format, each value once, into one buffer
// sized in advance.

// The types of the arrays a write's statement takes, as PostgreSQL
// names them by OID, and of their elements.
const (
	oidBool, oidBoolArray               = 16, 1000
	oidInt8, oidInt8Array               = 20, 1016
	oidInt4, oidInt4Array               = 23, 1007
	oidText, oidTextArray               = 25, 1009
	oidTimestamptz, oidTimestamptzArray = 1184, 1185
	oidJSON, oidJSONB, oidVarchar       = 114, 3802, 1043
)

// microsecondsToY2K is the Unix time of 2000-01-01 UTC, PostgreSQL's
// epoch, in microseconds.
const microsecondsToY2K = 946_684_800 * 1_000_000

// arrayParams returns args, each a []string, []int64, []int32, []bool or
// []time.Time, in PostgreSQL's binary array format, and the format codes
// of the parameters (all binary). oids are the types the statement
// declares for its parameters; an argument of another type is an error,
// which says the statement and its arguments disagree.
func arrayParams(oids []uint32, args []any) (values [][]byte, formats []int16, err error) {
	if len(oids) != len(args) {
		return nil, nil, fmt.Errorf("postgres: the statement takes %d parameters, not %d", len(oids), len(args))
	}
	// One buffer for all: its size first.
	const header = 20 // ndim, flags, element type, length, lower bound
	size := 0
	for _, a := range args {
		size += header
		switch v := a.(type) {
		case []string:
			for _, s := range v {
				size += 4 + len(s)
			}
		case []int64:
			size += 12 * len(v)
		case []int32:
			size += 8 * len(v)
		case []bool:
			size += 5 * len(v)
		case []time.Time:
			size += 12 * len(v)
		}
	}
	buf := make([]byte, 0, size)
	values = make([][]byte, len(args))
	formats = make([]int16, len(args))
	for i, a := range args {
		start := len(buf)
		var want uint32
		switch v := a.(type) {
		case []string:
			want = oidTextArray
			buf = arrayHeader(buf, oidText, len(v))
			for _, s := range v {
				buf = binary.BigEndian.AppendUint32(buf, uint32(len(s)))
				buf = append(buf, s...)
			}
		case []int64:
			want = oidInt8Array
			buf = arrayHeader(buf, oidInt8, len(v))
			for _, n := range v {
				buf = binary.BigEndian.AppendUint32(buf, 8)
				buf = binary.BigEndian.AppendUint64(buf, uint64(n))
			}
		case []int32:
			want = oidInt4Array
			buf = arrayHeader(buf, oidInt4, len(v))
			for _, n := range v {
				buf = binary.BigEndian.AppendUint32(buf, 4)
				buf = binary.BigEndian.AppendUint32(buf, uint32(n))
			}
		case []bool:
			want = oidBoolArray
			buf = arrayHeader(buf, oidBool, len(v))
			for _, b := range v {
				buf = binary.BigEndian.AppendUint32(buf, 1)
				if b {
					buf = append(buf, 1)
				} else {
					buf = append(buf, 0)
				}
			}
		case []time.Time:
			want = oidTimestamptzArray
			buf = arrayHeader(buf, oidTimestamptz, len(v))
			for _, t := range v {
				buf = binary.BigEndian.AppendUint32(buf, 8)
				buf = binary.BigEndian.AppendUint64(buf, uint64(sinceY2K(t)))
			}
		default:
			return nil, nil, fmt.Errorf("postgres: parameter $%d is a %T, not an array arrayParams writes", i+1, a)
		}
		if oids[i] != want {
			return nil, nil, fmt.Errorf("postgres: parameter $%d is a %T, but the statement declares type %d", i+1, a, oids[i])
		}
		values[i] = buf[start:len(buf):len(buf)]
		formats[i] = 1 // binary
	}
	return values, formats, nil
}

// arrayHeader appends the header of a one-dimensional array of n
// elements of type elem, without nulls, indexed from 1; an empty array
// has no dimension.
func arrayHeader(buf []byte, elem uint32, n int) []byte {
	ndim := uint32(1)
	if n == 0 {
		ndim = 0
	}
	buf = binary.BigEndian.AppendUint32(buf, ndim)
	buf = binary.BigEndian.AppendUint32(buf, 0) // no null
	buf = binary.BigEndian.AppendUint32(buf, elem)
	if n > 0 {
		buf = binary.BigEndian.AppendUint32(buf, uint32(n))
		buf = binary.BigEndian.AppendUint32(buf, 1)
	}
	return buf
}

// sinceY2K returns t as PostgreSQL's binary timestamptz holds it:
// microseconds since its epoch.
func sinceY2K(t time.Time) int64 {
	return t.Unix()*1_000_000 + int64(t.Nanosecond())/1000 - microsecondsToY2K
}

// scalarParams are the parameters of a single write's statement
// (oneStatement), written one after the other into one buffer: strings
// in text format, which is their bytes for text and JSON columns alike,
// the others in PostgreSQL's binary format. pgx would put each value in
// an interface and look up its encoding, a burst of ten events' hundred
// parameters a hundred times.
type scalarParams struct {
	// named makes each method return the placeholder of the value it
	// wrote ($n), for the statement's text; else they return "".
	named bool
	buf   []byte
	ends  []int    // where each value ends in buf
	types []uint32 // the type each value is written as (oidText: any type that reads text)
}

// next records the value just appended to buf as of type oid.
func (p *scalarParams) next(oid uint32) string {
	p.ends = append(p.ends, len(p.buf))
	p.types = append(p.types, oid)
	if !p.named {
		return ""
	}
	return "$" + strconv.Itoa(len(p.ends))
}

func (p *scalarParams) text(s string) string {
	p.buf = append(p.buf, s...)
	return p.next(oidText)
}

func (p *scalarParams) int8(n int64) string {
	p.buf = binary.BigEndian.AppendUint64(p.buf, uint64(n))
	return p.next(oidInt8)
}

func (p *scalarParams) boolean(b bool) string {
	if b {
		p.buf = append(p.buf, 1)
	} else {
		p.buf = append(p.buf, 0)
	}
	return p.next(oidBool)
}

func (p *scalarParams) timestamptz(t time.Time) string {
	p.buf = binary.BigEndian.AppendUint64(p.buf, uint64(sinceY2K(t)))
	return p.next(oidTimestamptz)
}

// values returns the parameters and their format codes, checked against
// the types the prepared statement declares for them (oids): a string
// may go to a text, varchar, json or jsonb parameter, which all read
// text; any other value must be of the very type it was written as. A
// mismatch is an error, which says the statement and its parameters
// disagree.
func (p *scalarParams) values(oids []uint32) (values [][]byte, formats []int16, err error) {
	if len(oids) != len(p.ends) {
		return nil, nil, fmt.Errorf("postgres: the statement takes %d parameters, not %d", len(oids), len(p.ends))
	}
	values = make([][]byte, len(p.ends))
	formats = make([]int16, len(p.ends))
	start := 0
	for i, end := range p.ends {
		switch want := p.types[i]; {
		case want == oidText:
			if o := oids[i]; o != oidText && o != oidVarchar && o != oidJSON && o != oidJSONB {
				return nil, nil, fmt.Errorf("postgres: parameter $%d is a string, but the statement declares type %d", i+1, o)
			}
			// format 0: text
		case oids[i] != want:
			return nil, nil, fmt.Errorf("postgres: parameter $%d is of type %d, but the statement declares type %d", i+1, want, oids[i])
		default:
			formats[i] = 1 // binary
		}
		values[i] = p.buf[start:end:end]
		start = end
	}
	return values, formats, nil
}
