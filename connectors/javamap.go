package connectors

import (
	"cmp"
	"math"
	"slices"
	"unicode/utf16"
)

// Kafka iterates the java.util.HashMap a converter builds in hash order,
// and prints and serializes maps in that order. Go maps have no order, so
// SortHashMapOrder computes the order Java's HashMap would use: entries
// sorted by bucket, given Java's hashCode of the key and the table size
// HashMap reaches after n insertions. Entries that share a bucket are in
// insertion order in Java, which a Go map has lost; they, and all entries
// of a map with a key Java hashes by identity (byte arrays, lists, maps) or
// that has no Java counterpart, are ordered by their Text instead.

// MapEntry is one entry of a map to be written in java.util.HashMap order.
type MapEntry struct {
	Key, Value any
	// Text is the key as the caller writes it. It orders the entries whose
	// Java order depends on insertion history.
	Text string

	bucket uint32
}

// SortHashMapOrder sorts es into the order in which a java.util.HashMap,
// default-constructed and filled with the same keys, iterates them.
func SortHashMapOrder(es []MapEntry) {
	size := uint32(hashMapCapacity(len(es)))
	hashed := true
	for i := range es {
		h, ok := javaHashCode(es[i].Key)
		hashed = hashed && ok
		es[i].bucket = spread(h) & (size - 1)
	}
	slices.SortStableFunc(es, func(a, b MapEntry) int {
		if hashed && a.bucket != b.bucket {
			return cmp.Compare(a.bucket, b.bucket)
		}
		return cmp.Compare(a.Text, b.Text)
	})
}

// hashMapCapacity is the table size of a HashMap built by n puts into a
// default-constructed map: 16, doubled whenever size exceeds 3/4 of it.
func hashMapCapacity(n int) int {
	c := 16
	for n > c/4*3 {
		c *= 2
	}
	return c
}

// spread folds the high half of a hash into the low half, as HashMap.hash does.
func spread(h int32) uint32 {
	u := uint32(h)
	return u ^ u>>16
}

// javaHashCode returns hashCode() of the boxed Java value Kafka holds for
// k, and false for keys Java hashes by identity or that have no Java
// counterpart. A Go int is taken as a Long.
func javaHashCode(k any) (int32, bool) {
	switch x := k.(type) {
	case nil:
		return 0, true
	case string:
		var h int32
		for _, r := range javaUTF8(x) {
			if r >= 0x10000 {
				r1, r2 := utf16.EncodeRune(r)
				h = 31*h + r1
				h = 31*h + r2
			} else {
				h = 31*h + r
			}
		}
		return h, true
	case bool:
		if x {
			return 1231, true
		}
		return 1237, true
	case int8:
		return int32(x), true
	case int16:
		return int32(x), true
	case int32:
		return x, true
	case int64:
		return int32(x ^ int64(uint64(x)>>32)), true
	case int:
		return javaHashCode(int64(x))
	case float32:
		bits := math.Float32bits(x)
		if x != x {
			bits = 0x7fc00000 // floatToIntBits canonicalises NaN
		}
		return int32(bits), true
	case float64:
		bits := math.Float64bits(x)
		if x != x {
			bits = 0x7ff8000000000000
		}
		return int32(bits ^ bits>>32), true
	}
	return 0, false
}
