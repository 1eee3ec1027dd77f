// Package datefmt formats and parses dates with the patterns of Java's
// java.text.SimpleDateFormat, as Kafka's transforms use it: in UTC, with
// English texts, lenient, on Java's hybrid Julian–Gregorian calendar
// (dates before 1582-10-15 are Julian), weeks starting on Sunday with one
// day enough for the first week of a year or month.
//
// A *Format is immutable once compiled and safe for concurrent use.
package datefmt

import (
	"fmt"
	"time"
)

// item is one element of a compiled pattern: a field (letter != 0)
// repeated count times, or literal text.
type item struct {
	letter byte
	count  int
	text   string
}

// Format is a compiled SimpleDateFormat pattern.
type Format struct {
	pattern string
	items   []item
	// centuryStartYear and centuryStart place two-digit years in the 100
	// years starting 80 years before the Format was compiled.
	centuryStartYear int32
	centuryStart     int64 // milliseconds since the epoch
}

// patternLetters are the letters SimpleDateFormat knows; any other ASCII
// letter is an error, any other character literal text.
const patternLetters = "GyMdkHmsSEDFwWahKzZYuXL"

// Compile parses a SimpleDateFormat pattern. Its errors carry Java's
// IllegalArgumentException texts, e.g. "Illegal pattern character 'b'".
func Compile(pattern string) (*Format, error) {
	return CompileAt(pattern, time.Now())
}

// CompileAt is Compile with two-digit years placed relative to now
// rather than the current time.
func CompileAt(pattern string, now time.Time) (*Format, error) {
	items, err := compile(pattern)
	if err != nil {
		return nil, err
	}
	start := now.UTC().AddDate(-80, 0, 0)
	return &Format{
		pattern:          pattern,
		items:            items,
		centuryStartYear: int32(start.Year()),
		centuryStart:     start.UnixMilli(),
	}, nil
}

// Pattern returns the pattern f was compiled from, as toPattern does.
func (f *Format) Pattern() string { return f.pattern }

func compile(p string) ([]item, error) {
	var items []item
	r := []rune(p)
	var quoted []rune
	inQuote := false
	addText := func(s string) {
		if n := len(items); n > 0 && items[n-1].letter == 0 {
			items[n-1].text += s
			return
		}
		items = append(items, item{text: s})
	}
	for i := 0; i < len(r); i++ {
		c := r[i]
		if !inQuote {
			// Any character but a letter ends the field before it.
			if err := checkItem(items); err != nil && !isLetter(c) {
				return nil, err
			}
		}
		if c == '\'' {
			if i+1 < len(r) && r[i+1] == '\'' {
				// A doubled quote is a quote character, in or out of quotes.
				i++
				if inQuote {
					quoted = append(quoted, '\'')
				} else {
					addText("'")
				}
				continue
			}
			if inQuote {
				addText(string(quoted))
				quoted = quoted[:0]
			}
			inQuote = !inQuote
			continue
		}
		if inQuote {
			quoted = append(quoted, c)
			continue
		}
		if !isLetter(c) {
			addText(string(c))
			continue
		}
		letter := byte(c)
		if !containsLetter(letter) {
			return nil, fmt.Errorf("Illegal pattern character '%c'", c)
		}
		if n := len(items); n > 0 && items[n-1].letter == letter {
			items[n-1].count++
			continue
		}
		if err := checkItem(items); err != nil {
			return nil, err
		}
		items = append(items, item{letter: letter, count: 1})
	}
	if inQuote {
		return nil, fmt.Errorf("Unterminated quote")
	}
	if err := checkItem(items); err != nil {
		return nil, err
	}
	return items, nil
}

func isLetter(c rune) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func containsLetter(b byte) bool {
	for i := 0; i < len(patternLetters); i++ {
		if patternLetters[i] == b {
			return true
		}
	}
	return false
}

// checkItem rejects an ISO zone field longer than Java allows once the
// field is complete.
func checkItem(items []item) error {
	if n := len(items); n > 0 && items[n-1].letter == 'X' && items[n-1].count >= 4 {
		return fmt.Errorf("invalid ISO 8601 format: length=%d", items[n-1].count)
	}
	return nil
}
