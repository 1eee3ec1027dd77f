package partition

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// jodaItem is one element of a compiled Joda-Time pattern: a field
// (letter != 0) repeated count times, or literal text.
type jodaItem struct {
	letter byte
	count  int
	text   string
}

// jodaFormat prints instants as Joda-Time's DateTimeFormat.forPattern does,
// on the ISO chronology (proleptic Gregorian, ISO weeks) in loc. It is
// immutable and safe for concurrent use.
type jodaFormat struct {
	items []jodaItem
	loc   *time.Location
	names *localeNames
}

// compileJoda tokenizes pattern with Joda's DateTimeFormat.parseToken rules:
// a run of one ASCII letter is a field, anything else literal text, with
// single quotes around letters to print them and a doubled single quote
// printing one. Like Joda, an unterminated quote runs to the end of the
// pattern.
func compileJoda(pattern string) ([]jodaItem, error) {
	var items []jodaItem
	addText := func(s string) {
		if n := len(items); n > 0 && items[n-1].letter == 0 {
			items[n-1].text += s
			return
		}
		items = append(items, jodaItem{text: s})
	}
	r := []rune(pattern)
	for i := 0; i < len(r); {
		c := r[i]
		if isASCIILetter(c) {
			j := i
			for j < len(r) && r[j] == c {
				j++
			}
			if !strings.ContainsRune(jodaLetters, c) {
				return nil, fmt.Errorf("illegal pattern component: %s", string(r[i:j]))
			}
			items = append(items, jodaItem{letter: byte(c), count: j - i})
			i = j
			continue
		}
		var b strings.Builder
		inQuote := false
		for ; i < len(r); i++ {
			c := r[i]
			if c == '\'' {
				if i+1 < len(r) && r[i+1] == '\'' {
					i++
					b.WriteRune('\'')
				} else {
					inQuote = !inQuote
				}
				continue
			}
			if !inQuote && isASCIILetter(c) {
				break
			}
			b.WriteRune(c)
		}
		if b.Len() > 0 {
			addText(b.String())
		}
	}
	return items, nil
}

// jodaLetters are the pattern letters Joda-Time's DateTimeFormat knows.
const jodaLetters = "GCYxwdeEyDMdaKhHkmsSzZ"

func isASCIILetter(c rune) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// usesText reports whether printing items needs locale texts.
func usesText(items []jodaItem) bool {
	for _, it := range items {
		switch {
		case it.letter == 'M' && it.count >= 3, it.letter == 'E', it.letter == 'a', it.letter == 'G':
			return true
		}
	}
	return false
}

// newJodaFormat compiles pattern for printing in loc with locale's texts.
func newJodaFormat(pattern string, loc *time.Location, locale string) (*jodaFormat, error) {
	items, err := compileJoda(pattern)
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		if it.letter == 'z' && it.count >= 4 {
			return nil, fmt.Errorf("full time zone names (%s) are not supported; use z, Z, ZZ or ZZZ", strings.Repeat("z", it.count))
		}
	}
	names, ok := lookupLocale(locale)
	if !ok && usesText(items) {
		return nil, fmt.Errorf("locale %q has no month, weekday, era or AM/PM names here; supported: %s, or a language with a region (English, as Java's Locale(String) falls back to)", locale, strings.Join(supportedLanguages(), ", "))
	}
	return &jodaFormat{items: items, loc: loc, names: names}, nil
}

// format prints t in f's zone.
func (f *jodaFormat) format(t time.Time) string {
	t = t.In(f.loc)
	var b []byte
	for _, it := range f.items {
		if it.letter == 0 {
			b = append(b, it.text...)
			continue
		}
		b = f.appendField(b, it, t)
	}
	return string(b)
}

func (f *jodaFormat) appendField(b []byte, it jodaItem, t time.Time) []byte {
	year := int64(t.Year())
	yearOfEra := year
	if year <= 0 {
		yearOfEra = 1 - year
	}
	switch it.letter {
	case 'G':
		if year <= 0 {
			return append(b, f.names.eras[0]...)
		}
		return append(b, f.names.eras[1]...)
	case 'C':
		return appendPadded(b, yearOfEra/100, it.count)
	case 'y':
		return appendYear(b, year, it.count)
	case 'Y':
		return appendYear(b, yearOfEra, it.count)
	case 'x':
		wy, _ := t.ISOWeek()
		return appendYear(b, int64(wy), it.count)
	case 'w':
		_, w := t.ISOWeek()
		return appendPadded(b, int64(w), it.count)
	case 'e':
		return appendPadded(b, int64(isoWeekday(t)), it.count)
	case 'E':
		if it.count >= 4 {
			return append(b, f.names.weekdays[t.Weekday()]...)
		}
		return append(b, f.names.shortWeekdays[t.Weekday()]...)
	case 'D':
		return appendPadded(b, int64(t.YearDay()), it.count)
	case 'M':
		switch {
		case it.count >= 4:
			return append(b, f.names.months[t.Month()-1]...)
		case it.count == 3:
			return append(b, f.names.shortMonths[t.Month()-1]...)
		}
		return appendPadded(b, int64(t.Month()), it.count)
	case 'd':
		return appendPadded(b, int64(t.Day()), it.count)
	case 'a':
		if t.Hour() < 12 {
			return append(b, f.names.ampm[0]...)
		}
		return append(b, f.names.ampm[1]...)
	case 'K':
		return appendPadded(b, int64(t.Hour()%12), it.count)
	case 'h':
		h := t.Hour() % 12
		if h == 0 {
			h = 12
		}
		return appendPadded(b, int64(h), it.count)
	case 'H':
		return appendPadded(b, int64(t.Hour()), it.count)
	case 'k':
		h := t.Hour()
		if h == 0 {
			h = 24
		}
		return appendPadded(b, int64(h), it.count)
	case 'm':
		return appendPadded(b, int64(t.Minute()), it.count)
	case 's':
		return appendPadded(b, int64(t.Second()), it.count)
	case 'S':
		// Joda's ISO chronology keeps milliseconds: more digits are zeros.
		ms := fmt.Sprintf("%03d", t.Nanosecond()/int(time.Millisecond))
		for i := range it.count {
			if i < len(ms) {
				b = append(b, ms[i])
			} else {
				b = append(b, '0')
			}
		}
		return b
	case 'z':
		name, _ := t.Zone()
		return append(b, name...)
	case 'Z':
		if it.count >= 3 {
			return append(b, f.loc.String()...)
		}
		_, off := t.Zone()
		return appendOffset(b, off, it.count == 2)
	}
	return b
}

// appendYear prints a year as Joda does: two digits for a count of 2
// (the sign dropped), otherwise signed and zero-padded to count.
func appendYear(b []byte, y int64, count int) []byte {
	if count == 2 {
		if y < 0 {
			y = -y
		}
		return appendPadded(b, y%100, 2)
	}
	return appendPadded(b, y, count)
}

// appendPadded prints v with at least width digits, a minus sign first.
func appendPadded(b []byte, v int64, width int) []byte {
	if v < 0 {
		b = append(b, '-')
		v = -v
	}
	s := strconv.FormatInt(v, 10)
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}

// appendOffset prints a UTC offset as Joda's Z and ZZ: "Z" for zero, else
// ±hhmm or ±hh:mm; seconds are not shown.
func appendOffset(b []byte, off int, colon bool) []byte {
	if off == 0 {
		return append(b, 'Z')
	}
	if off < 0 {
		b = append(b, '-')
		off = -off
	} else {
		b = append(b, '+')
	}
	b = appendPadded(b, int64(off/3600), 2)
	if colon {
		b = append(b, ':')
	}
	return appendPadded(b, int64(off/60%60), 2)
}

func isoWeekday(t time.Time) int {
	if d := t.Weekday(); d != time.Sunday {
		return int(d)
	}
	return 7
}
