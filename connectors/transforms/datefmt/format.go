package datefmt

import (
	"strconv"
	"time"
)

var (
	eras          = []string{"BC", "AD"}
	months        = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
	shortMonths   = []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
	weekdays      = []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
	shortWeekdays = []string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}
	ampm          = []string{"AM", "PM"}
)

// The names Java gives the UTC zone in English.
const (
	utcShort = "UTC"
	utcLong  = "Coordinated Universal Time"
)

// Format returns t, to the millisecond, as the pattern prints it in UTC.
// Sub-millisecond digits are dropped, rounding down, as java.util.Date
// holds none.
func (f *Format) Format(t time.Time) string {
	return string(f.AppendFormat(nil, t))
}

// AppendFormat appends the text Format returns to b.
func (f *Format) AppendFormat(b []byte, t time.Time) []byte {
	fl := fieldsOf(t.UnixMilli())
	for _, it := range f.items {
		if it.letter == 0 {
			b = append(b, it.text...)
			continue
		}
		b = appendField(b, it, &fl)
	}
	return b
}

func appendField(b []byte, it item, fl *fields) []byte {
	n := it.count
	switch it.letter {
	case 'G':
		return append(b, eras[fl.era]...)
	case 'y', 'Y':
		v := fl.yearOfEra
		if it.letter == 'Y' {
			v = fl.weekYr
		}
		if n == 2 {
			return appendTwoDigits(b, v)
		}
		return appendPadded(b, v, n)
	case 'M', 'L':
		switch {
		case n >= 4:
			return append(b, months[fl.month-1]...)
		case n == 3:
			return append(b, shortMonths[fl.month-1]...)
		}
		return appendPadded(b, fl.month, n)
	case 'd':
		return appendPadded(b, fl.day, n)
	case 'k':
		h := fl.hour
		if h == 0 {
			h = 24
		}
		return appendPadded(b, h, n)
	case 'H':
		return appendPadded(b, fl.hour, n)
	case 'm':
		return appendPadded(b, fl.minute, n)
	case 's':
		return appendPadded(b, fl.second, n)
	case 'S':
		return appendPadded(b, fl.milli, n)
	case 'E':
		if n >= 4 {
			return append(b, weekdays[fl.dayOfWeek-1]...)
		}
		return append(b, shortWeekdays[fl.dayOfWeek-1]...)
	case 'D':
		return appendPadded(b, fl.dayOfYear, n)
	case 'F':
		return appendPadded(b, fl.weekdayInMonth, n)
	case 'w':
		return appendPadded(b, fl.weekOfYear, n)
	case 'W':
		return appendPadded(b, fl.weekOfMonth, n)
	case 'a':
		return append(b, ampm[fl.hour/12]...)
	case 'h':
		h := fl.hour % 12
		if h == 0 {
			h = 12
		}
		return appendPadded(b, h, n)
	case 'K':
		return appendPadded(b, fl.hour%12, n)
	case 'u':
		return appendPadded(b, (fl.dayOfWeek+5)%7+1, n)
	case 'z':
		if n >= 4 {
			return append(b, utcLong...)
		}
		return append(b, utcShort...)
	case 'Z':
		return append(b, "+0000"...)
	}
	// 'X': an ISO 8601 offset, which is Z for UTC whatever the width.
	return append(b, 'Z')
}

// appendPadded writes v in decimal with at least width digits, as
// DecimalFormat with a minimum integer digit count does.
func appendPadded(b []byte, v int64, width int) []byte {
	if v < 0 {
		b = append(b, '-')
		v = -v
	}
	digits := strconv.FormatInt(v, 10)
	for i := len(digits); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, digits...)
}

// appendTwoDigits writes the last two digits of v, as a two-letter year.
func appendTwoDigits(b []byte, v int64) []byte {
	if v < 0 {
		b = append(b, '-')
		v = -v
	}
	return appendPadded(b, v%100, 2)
}
