package postgres

import (
	"encoding/binary"
	"fmt"
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
				buf = binary.BigEndian.AppendUint64(buf, uint64(t.Unix()*1_000_000+int64(t.Nanosecond())/1000-microsecondsToY2K))
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
