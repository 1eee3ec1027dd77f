package datefmt

import (
	"fmt"
	"time"
	"unicode"
)

// The calendar fields a parse sets, numbered as java.util.Calendar's.
const (
	fEra = iota
	fYear
	fMonth // 0-11, out of range when lenient
	fWeekOfYear
	fWeekOfMonth
	fDayOfMonth
	fDayOfYear
	fDayOfWeek
	fDayOfWeekInMonth
	fAmPm
	fHour
	fHourOfDay
	fMinute
	fSecond
	fMilli
	fZoneOffset
	fDSTOffset
	fWeekYear
	nFields
)

// builder records the fields a parse found and the order it found them
// in: when fields disagree, the calendar resolves the date from the
// group of fields set last, as Java's CalendarBuilder and
// GregorianCalendar do.
type builder struct {
	stamp [nFields]int // 0: unset; larger: set later
	val   [nFields]int32
	next  int
}

func (b *builder) set(field int, v int32) {
	b.next++
	b.stamp[field] = b.next
	b.val[field] = v
}

func (b *builder) isSet(field int) bool { return b.stamp[field] != 0 }

// Parse reads a date from the start of s, as SimpleDateFormat.parse(String)
// does in lenient mode: out-of-range fields roll over ("2017-13-45" is
// 2018-02-14), numbers may have more or fewer digits than the pattern
// unless two numeric fields abut, and text after the date is ignored.
// Zone names other than UTC and GMT are not recognised. The error is
// Java's `Unparseable date: "<s>"`.
func (f *Format) Parse(s string) (time.Time, error) {
	text := []rune(s)
	var b builder
	ambiguous := false
	pos := 0
	for i, it := range f.items {
		if it.letter == 0 {
			lit := []rune(it.text)
			if len(text)-pos < len(lit) || string(text[pos:pos+len(lit)]) != it.text {
				return time.Time{}, unparseable(s)
			}
			pos += len(lit)
			continue
		}
		obeyCount := i+1 < len(f.items) && obeysCount(f.items[i+1])
		pos = f.subParse(text, pos, it, obeyCount, &b, &ambiguous)
		if pos < 0 {
			return time.Time{}, unparseable(s)
		}
	}
	if pos == 0 {
		// Nothing was read, which DateFormat.parse(String) rejects.
		return time.Time{}, unparseable(s)
	}
	ms := b.establish()
	if ambiguous && ms < f.centuryStart {
		b.val[fYear] += 100
		b.val[fWeekYear] += 100
		ms = b.establish()
	}
	return time.UnixMilli(ms).UTC(), nil
}

func unparseable(s string) error { return fmt.Errorf("Unparseable date: %q", s) }

// obeysCount reports whether a field followed by it must be read with
// exactly as many digits as the pattern has letters, so that abutting
// numbers such as "20170103" for "yyyyMMdd" can be split.
func obeysCount(next item) bool {
	switch next.letter {
	case 0:
		return false
	case 'M', 'L':
		return next.count <= 2
	case 'y', 'd', 'k', 'H', 'm', 's', 'S', 'D', 'F', 'w', 'W', 'h', 'K', 'Y', 'u':
		return true
	}
	return false
}

// subParse reads one field at start and returns where it ended, or -1.
func (f *Format) subParse(text []rune, start int, it item, obeyCount bool, b *builder, ambiguous *bool) int {
	pos := start
	for ; ; pos++ {
		if pos >= len(text) {
			return -1
		}
		if text[pos] != ' ' && text[pos] != '\t' {
			break
		}
	}
	actualStart := pos
	limit := len(text)
	if obeyCount {
		limit = start + it.count
	}
	number := func() (int32, int, bool) {
		if limit > len(text) {
			return 0, 0, false
		}
		return parseNumber(text[:limit], pos)
	}
	count := it.count
	switch it.letter {
	case 'G':
		return matchText(text, start, eras, fEra, b)
	case 'y', 'Y':
		v, end, ok := number()
		if !ok {
			return -1
		}
		if count <= 2 && end-actualStart == 2 && unicode.IsDigit(text[actualStart]) && unicode.IsDigit(text[actualStart+1]) {
			century := f.centuryStartYear % 100
			*ambiguous = v == century
			if v < century {
				v += 100
			}
			v += f.centuryStartYear / 100 * 100
		}
		field := fYear
		if it.letter == 'Y' {
			field = fWeekYear
		}
		b.set(field, v)
		return end
	case 'M', 'L':
		if count <= 2 {
			v, end, ok := number()
			if !ok {
				return -1
			}
			b.set(fMonth, v-1)
			return end
		}
		if end := matchText(text, start, months, fMonth, b); end >= 0 {
			return end
		}
		return matchText(text, start, shortMonths, fMonth, b)
	case 'E':
		if end := matchText(text, start, weekdays, fDayOfWeek, b); end >= 0 {
			b.val[fDayOfWeek]++ // Calendar counts Sunday as 1
			return end
		}
		end := matchText(text, start, shortWeekdays, fDayOfWeek, b)
		if end >= 0 {
			b.val[fDayOfWeek]++
		}
		return end
	case 'a':
		return matchText(text, start, ampm, fAmPm, b)
	case 'z', 'Z':
		return parseZone(text, start, pos, b)
	case 'X':
		return parseISOZone(text, pos, count, b)
	}
	v, end, ok := number()
	if !ok {
		return -1
	}
	switch it.letter {
	case 'k':
		if v == 24 {
			v = 0
		}
		b.set(fHourOfDay, v)
	case 'h':
		if v == 12 {
			v = 0
		}
		b.set(fHour, v)
	case 'u':
		// ISO numbers Monday 1 to Sunday 7, Calendar Sunday 1 to Saturday 7.
		if v >= 1 && v <= 7 {
			v = v%7 + 1
		}
		b.set(fDayOfWeek, v)
	default:
		b.set(numericField[it.letter], v)
	}
	return end
}

var numericField = map[byte]int{
	'd': fDayOfMonth, 'H': fHourOfDay, 'm': fMinute, 's': fSecond, 'S': fMilli,
	'D': fDayOfYear, 'F': fDayOfWeekInMonth, 'w': fWeekOfYear, 'W': fWeekOfMonth, 'K': fHour,
}

// matchText finds the longest of names at start, ignoring case, and
// sets field to its index.
func matchText(text []rune, start int, names []string, field int, b *builder) int {
	best, bestLen := -1, 0
	for i, name := range names {
		n := []rune(name)
		if len(n) > bestLen && hasPrefixFold(text[start:], n) {
			best, bestLen = i, len(n)
		}
	}
	if best < 0 {
		return -1
	}
	b.set(field, int32(best))
	return start + bestLen
}

// hasPrefixFold is String.regionMatches with ignoreCase: characters
// match when equal after upper- or lower-casing.
func hasPrefixFold(text, prefix []rune) bool {
	if len(text) < len(prefix) {
		return false
	}
	for i, r := range prefix {
		c := text[i]
		if c != r && unicode.ToUpper(c) != unicode.ToUpper(r) && unicode.ToLower(c) != unicode.ToLower(r) {
			return false
		}
	}
	return true
}

// utcNames are the names of zones whose offset is zero the whole year
// that a 'z' or 'Z' field accepts: those of UTC and GMT.
var utcNames = [][]rune{[]rune(utcLong), []rune(utcShort), []rune("Greenwich Mean Time"), []rune("GMT")}

func parseZone(text []rune, start, pos int, b *builder) int {
	sign := int32(0)
	switch text[pos] {
	case '+':
		sign = 1
	case '-':
		sign = -1
	}
	if sign != 0 {
		return parseNumericZone(text, pos+1, sign, 0, false, b)
	}
	if (text[pos] == 'G' || text[pos] == 'g') && hasPrefixFold(text[start:], []rune("GMT")) {
		pos = start + 3
		if pos < len(text) {
			switch text[pos] {
			case '+':
				sign = 1
			case '-':
				sign = -1
			}
		}
		if sign == 0 {
			b.set(fZoneOffset, 0)
			b.set(fDSTOffset, 0)
			return pos
		}
		return parseNumericZone(text, pos+1, sign, 0, true, b)
	}
	for _, name := range utcNames {
		if hasPrefixFold(text[pos:], name) {
			return pos + len(name)
		}
	}
	return -1
}

func parseISOZone(text []rune, pos, count int, b *builder) int {
	if pos >= len(text) {
		return -1
	}
	sign := int32(0)
	switch text[pos] {
	case 'Z':
		b.set(fZoneOffset, 0)
		b.set(fDSTOffset, 0)
		return pos + 1
	case '+':
		sign = 1
	case '-':
		sign = -1
	default:
		return -1
	}
	return parseNumericZone(text, pos+1, sign, count, count == 3, b)
}

// parseNumericZone reads hh[[:]mm]: two hour digits (one is enough
// before a colon in "GMT+h:mm"), then, unless count is 1, the minutes.
func parseNumericZone(text []rune, i int, sign int32, count int, colon bool, b *builder) int {
	digit := func() (int32, bool) {
		if i >= len(text) || text[i] < '0' || text[i] > '9' {
			return 0, false
		}
		i++
		return text[i-1] - '0', true
	}
	hours, ok := digit()
	if !ok {
		return -1
	}
	if d, ok := digit(); ok {
		hours = hours*10 + d
	} else if count > 0 || !colon || i >= len(text) {
		return -1
	}
	if hours > 23 {
		return -1
	}
	minutes := int32(0)
	if count != 1 {
		if colon {
			if i >= len(text) || text[i] != ':' {
				return -1
			}
			i++
		}
		m1, ok1 := digit()
		m2, ok2 := digit()
		if !ok1 || !ok2 || m1*10+m2 > 59 {
			return -1
		}
		minutes = m1*10 + m2
	}
	b.set(fZoneOffset, (hours*60+minutes)*60000*sign)
	b.set(fDSTOffset, 0)
	return i
}
