package datefmt

// Day numbers here are Java's "fixed dates": 1 is 0001-01-01 of the
// proleptic Gregorian calendar. Years are astronomical (0 is 1 BC) until
// they are shown with an era.

const (
	msPerDay      = 24 * 60 * 60 * 1000
	epochFixed    = 719163 // 1970-01-01
	cutoverFixed  = 577736 // 1582-10-15, the first Gregorian day
	cutoverYear   = 1582
	julianEpoch   = -1 // 0001-01-01 Julian
	firstWeekday  = 1  // Sunday, as in Locale.ENGLISH
	minDaysInWeek = 1
)

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func floorMod(a, b int64) int64 { return a - floorDiv(a, b)*b }

func gregorianLeap(y int64) bool {
	return floorMod(y, 4) == 0 && (floorMod(y, 100) != 0 || floorMod(y, 400) == 0)
}

func julianLeap(y int64) bool { return floorMod(y, 4) == 0 }

// monthStart is the day of the year, from 0, on which month (1-12)
// starts, before the leap day correction.
func monthStart(month int64) int64 { return floorDiv(367*month-362, 12) }

func gregorianFixed(y, month, day int64) int64 {
	p := y - 1
	d := day + 365*p + floorDiv(p, 4) - floorDiv(p, 100) + floorDiv(p, 400) + monthStart(month)
	if month > 2 {
		if gregorianLeap(y) {
			d--
		} else {
			d -= 2
		}
	}
	return d
}

func julianFixed(y, month, day int64) int64 {
	p := y - 1
	d := julianEpoch - 1 + 365*p + floorDiv(p, 4) + day + monthStart(month)
	if month > 2 {
		if julianLeap(y) {
			d--
		} else {
			d -= 2
		}
	}
	return d
}

// calendarFixed is the fixed date of a date in the Julian (julian) or
// Gregorian calendar.
func calendarFixed(julian bool, y, month, day int64) int64 {
	if julian {
		return julianFixed(y, month, day)
	}
	return gregorianFixed(y, month, day)
}

// civil returns the year, month and day of a fixed date on the hybrid
// calendar.
func civil(fixed int64) (y, month, day int64) {
	julian := fixed < cutoverFixed
	if julian {
		y = floorDiv(4*(fixed-julianEpoch)+1464, 1461)
	} else {
		d0 := fixed - 1
		n400, d1 := floorDiv(d0, 146097), floorMod(d0, 146097)
		n100, d2 := d1/36524, d1%36524
		n4, d3 := d2/1461, d2%1461
		n1 := d3 / 365
		y = 400*n400 + 100*n100 + 4*n4 + n1
		if n100 != 4 && n1 != 4 {
			y++
		}
	}
	leap := gregorianLeap(y)
	if julian {
		leap = julianLeap(y)
	}
	prior := fixed - calendarFixed(julian, y, 1, 1)
	if fixed >= calendarFixed(julian, y, 3, 1) {
		if leap {
			prior++
		} else {
			prior += 2
		}
	}
	month = (12*prior + 373) / 367
	day = fixed - calendarFixed(julian, y, month, 1) + 1
	return y, month, day
}

// jan1 is the fixed date of January 1 of year y on the hybrid calendar;
// in 1582 that is the Julian one, as in Java.
func jan1(y int64) int64 {
	if y <= cutoverYear {
		return julianFixed(y, 1, 1)
	}
	return gregorianFixed(y, 1, 1)
}

// dayOfWeek is 1 (Sunday) to 7 (Saturday).
func dayOfWeek(fixed int64) int64 { return floorMod(fixed, 7) + 1 }

// weekdayOnOrBefore is the last day on or before fixed that falls on dow.
func weekdayOnOrBefore(fixed, dow int64) int64 {
	return fixed - floorMod(fixed-(dow-1), 7)
}

// weekNumber is the week of the period starting on day1 that holds fixed.
func weekNumber(day1, fixed int64) int64 {
	first := weekdayOnOrBefore(day1+6, firstWeekday)
	if first-day1 >= minDaysInWeek {
		first -= 7
	}
	return floorDiv(fixed-first, 7) + 1
}

// fields are the calendar fields of an instant, as GregorianCalendar
// computes them in UTC.
type fields struct {
	era, yearOfEra, year, month, day    int64 // month 1-12, year astronomical
	dayOfYear, dayOfWeek, weekOfYear    int64
	weekOfMonth, weekdayInMonth, weekYr int64
	hour, minute, second, milli         int64
}

func fieldsOf(ms int64) fields {
	fixed := floorDiv(ms, msPerDay) + epochFixed
	tod := floorMod(ms, msPerDay)
	var f fields
	f.year, f.month, f.day = civil(fixed)
	f.era, f.yearOfEra = 1, f.year
	if f.year <= 0 {
		f.era, f.yearOfEra = 0, 1-f.year
	}
	j1 := jan1(f.year)
	f.dayOfYear = fixed - j1 + 1
	f.dayOfWeek = dayOfWeek(fixed)
	f.weekOfYear = weekNumber(j1, fixed)
	if f.weekOfYear == 0 {
		f.weekOfYear = weekNumber(jan1(f.year-1), j1-1)
	} else if f.weekOfYear >= 52 {
		next := jan1(f.year + 1)
		nextFirst := weekdayOnOrBefore(next+6, firstWeekday)
		if nextFirst-next >= minDaysInWeek && fixed >= nextFirst-7 {
			f.weekOfYear = 1
		}
	}
	f.weekYr = f.year
	if f.month == 1 && f.weekOfYear >= 52 {
		f.weekYr--
	} else if f.month != 1 && f.weekOfYear == 1 {
		f.weekYr++
	}
	// Java counts the weeks of October 1582 from the Julian October 1,
	// as if the ten days the cutover skipped were there.
	month1 := fixed - f.day + 1
	if f.year == cutoverYear && f.month == 10 && fixed >= cutoverFixed {
		month1 = julianFixed(cutoverYear, 10, 1)
	}
	f.weekOfMonth = weekNumber(month1, fixed)
	f.weekdayInMonth = (fixed-month1)/7 + 1
	f.hour = tod / 3600000
	f.minute = tod / 60000 % 60
	f.second = tod / 1000 % 60
	f.milli = tod % 1000
	return f
}
