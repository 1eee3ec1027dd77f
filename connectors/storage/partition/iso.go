package partition

import (
	"fmt"
	"time"
)

// parseISO reads the forms Joda-Time's ISODateTimeFormat.dateTimeParser
// accepts, in extended format:
//
//	datetime      = time | date-opt-time
//	time          = 'T' time-element [offset]
//	date-opt-time = date-element ['T' [time-element] [offset]]
//	date-element  = yyyy ['-' MM ['-' dd]] | yyyy '-' DDD | xxxx '-W' ww ['-' e]
//	time-element  = HH [':' mm [':' ss]] with a fraction ('.' or ',') on the last
//	offset        = 'Z' | ('+' | '-') HH [':' mm]
//
// A value without an offset is local time in loc (Joda uses the JVM's
// default zone). Sub-millisecond digits are dropped.
func parseISO(s string, loc *time.Location) (time.Time, error) {
	p := &isoParser{s: s}
	t, err := p.parse(loc)
	if err != nil {
		return time.Time{}, fmt.Errorf("invalid ISO-8601 timestamp %q: %w", s, err)
	}
	return t, nil
}

type isoParser struct {
	s   string
	pos int
}

func (p *isoParser) peek() byte {
	if p.pos < len(p.s) {
		return p.s[p.pos]
	}
	return 0
}

func (p *isoParser) accept(c byte) bool {
	if p.peek() == c {
		p.pos++
		return true
	}
	return false
}

// digits reads between min and max digits.
func (p *isoParser) digits(min, max int) (int, bool) {
	n, i := 0, 0
	for ; i < max && p.pos+i < len(p.s); i++ {
		c := p.s[p.pos+i]
		if c < '0' || c > '9' {
			break
		}
		n = n*10 + int(c-'0')
	}
	if i < min {
		return 0, false
	}
	p.pos += i
	return n, true
}

func (p *isoParser) parse(loc *time.Location) (time.Time, error) {
	year, month, day := 1970, 1, 1
	yday, week, wday := 0, 0, 0
	hasDate := p.peek() != 'T'
	if hasDate {
		neg := p.accept('-')
		if !neg {
			p.accept('+')
		}
		y, ok := p.digits(4, 9)
		if !ok {
			return time.Time{}, fmt.Errorf("expected a year at %d", p.pos)
		}
		if neg {
			y = -y
		}
		year = y
		if p.accept('-') {
			switch {
			case p.accept('W'):
				if week, ok = p.digits(2, 2); !ok || week < 1 || week > 53 {
					return time.Time{}, fmt.Errorf("bad week at %d", p.pos)
				}
				wday = 1
				if p.accept('-') {
					if wday, ok = p.digits(1, 1); !ok || wday < 1 || wday > 7 {
						return time.Time{}, fmt.Errorf("bad day of week at %d", p.pos)
					}
				}
			case p.pos+2 < len(p.s) && isDigit(p.s[p.pos+2]):
				if yday, ok = p.digits(3, 3); !ok || yday < 1 || yday > 366 {
					return time.Time{}, fmt.Errorf("bad day of year at %d", p.pos)
				}
			default:
				if month, ok = p.digits(2, 2); !ok || month < 1 || month > 12 {
					return time.Time{}, fmt.Errorf("bad month at %d", p.pos)
				}
				if p.accept('-') {
					if day, ok = p.digits(2, 2); !ok || day < 1 || day > daysIn(year, month) {
						return time.Time{}, fmt.Errorf("bad day at %d", p.pos)
					}
				}
			}
		}
	}
	var nanos int64
	zone := loc
	if p.accept('T') {
		if isDigit(p.peek()) {
			n, err := p.timeElement()
			if err != nil {
				return time.Time{}, err
			}
			nanos = n
		}
		if p.pos < len(p.s) {
			z, err := p.offset()
			if err != nil {
				return time.Time{}, err
			}
			zone = z
		}
	}
	if p.pos != len(p.s) {
		return time.Time{}, fmt.Errorf("unexpected %q at %d", p.s[p.pos:], p.pos)
	}
	var date time.Time
	switch {
	case week > 0:
		// ISO week 1 holds January 4th.
		jan4 := time.Date(year, 1, 4, 0, 0, 0, 0, time.UTC)
		monday := jan4.AddDate(0, 0, -(isoWeekday(jan4) - 1))
		date = monday.AddDate(0, 0, (week-1)*7+wday-1)
	case yday > 0:
		if yday > 365 && daysIn(year, 2) != 29 {
			return time.Time{}, fmt.Errorf("bad day of year %d", yday)
		}
		date = time.Date(year, 1, yday, 0, 0, 0, 0, time.UTC)
	default:
		date = time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	}
	y, m, d := date.Date()
	t := time.Date(y, m, d, 0, 0, 0, 0, zone).Add(time.Duration(nanos))
	return t.Truncate(time.Millisecond), nil
}

// timeElement reads HH[:mm[:ss]] with an optional fraction of the last
// element, returning nanoseconds since midnight.
func (p *isoParser) timeElement() (int64, error) {
	units := []int64{int64(time.Hour), int64(time.Minute), int64(time.Second)}
	limits := []int{23, 59, 59}
	var total int64
	for i := range units {
		if i > 0 && !p.accept(':') {
			break
		}
		v, ok := p.digits(2, 2)
		if !ok || v > limits[i] {
			return 0, fmt.Errorf("bad time at %d", p.pos)
		}
		total += int64(v) * units[i]
		if p.accept('.') || p.accept(',') {
			frac, scale, n := int64(0), units[i], 0
			for ; isDigit(p.peek()); n++ {
				if n < 9 {
					scale /= 10
					frac += int64(p.s[p.pos]-'0') * scale
				}
				p.pos++
			}
			if n == 0 {
				return 0, fmt.Errorf("empty fraction at %d", p.pos)
			}
			return total + frac, nil
		}
	}
	return total, nil
}

func (p *isoParser) offset() (*time.Location, error) {
	if p.accept('Z') {
		return time.UTC, nil
	}
	sign := 1
	switch {
	case p.accept('+'):
	case p.accept('-'):
		sign = -1
	default:
		return nil, fmt.Errorf("bad offset at %d", p.pos)
	}
	h, ok := p.digits(2, 2)
	if !ok || h > 23 {
		return nil, fmt.Errorf("bad offset hours at %d", p.pos)
	}
	m := 0
	if p.accept(':') {
		if m, ok = p.digits(2, 2); !ok || m > 59 {
			return nil, fmt.Errorf("bad offset minutes at %d", p.pos)
		}
	}
	return time.FixedZone("", sign*(h*3600+m*60)), nil
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func daysIn(year, month int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
