package memstore

// dict interns the strings that many leads and history entries repeat:
// owners, lead sources, rule ids, stage and status keys, actors. A record
// or a history entry keeps a four-byte code in place of a sixteen-byte
// string header, and a history entry holds fewer pointers for the garbage
// collector to follow.
//
// Codes are counted: every code a record or an entry holds is one
// reference, and a string whose last reference goes is forgotten and its
// code reused, so a string the store no longer keeps (an owner long
// replaced, the key of a trimmed entry) costs nothing. Code 0 is "" and is
// never counted.
type dict struct {
	codes map[string]uint32
	// strs and refs are indexed by code; a free code has "" and 0 refs.
	strs []string
	refs []uint32
	free []uint32
	// recent caches codes by a cheap hash of their string, so that the
	// strings a lead repeats on every write (its owner, "leadline", the
	// stage keys) skip the map. An entry is a hint, checked against strs.
	recent [256]uint32
}

func newDict() dict {
	return dict{codes: make(map[string]uint32), strs: []string{""}, refs: []uint32{0}}
}

// str returns the string of code c.
func (d *dict) str(c uint32) string { return d.strs[c] }

// recentSlot returns s's place in d.recent: its length and three of its bytes,
// mixed. s is not "".
func recentSlot(s string) int {
	h := uint32(len(s))*0x9e3779b1 ^ uint32(s[0])<<16 ^ uint32(s[len(s)/2])<<8 ^ uint32(s[len(s)-1])
	return int((h * 0x9e3779b1) >> 24)
}

// intern returns the code of s, counting one more reference to it.
func (d *dict) intern(s string) uint32 {
	if s == "" {
		return 0
	}
	i := recentSlot(s)
	if c := d.recent[i]; c != 0 && d.strs[c] == s {
		d.refs[c]++
		return c
	}
	c, ok := d.codes[s]
	if !ok {
		if n := len(d.free); n > 0 {
			c = d.free[n-1]
			d.free = d.free[:n-1]
		} else {
			c = uint32(len(d.strs))
			d.strs = append(d.strs, "")
			d.refs = append(d.refs, 0)
		}
		d.strs[c] = s
		d.codes[s] = c
	}
	d.refs[c]++
	d.recent[i] = c
	return c
}

// release drops one reference to code c.
func (d *dict) release(c uint32) {
	if c == 0 {
		return
	}
	if d.refs[c]--; d.refs[c] == 0 {
		delete(d.codes, d.strs[c])
		d.strs[c] = ""
		d.free = append(d.free, c)
	}
}

// swap returns the code of s in place of code old: old itself when it is
// s's, so that rewriting an unchanged field costs one comparison (equal
// strings that share their bytes compare at once).
func (d *dict) swap(old uint32, s string) uint32 {
	if d.strs[old] == s {
		return old
	}
	d.release(old)
	return d.intern(s)
}
