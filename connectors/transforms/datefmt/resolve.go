package datefmt

// Field masks for the fields a resolution picks.
const (
	mMonth = 1 << iota
	mDayOfMonth
	mWeekOfMonth
	mDayOfWeekInMonth
	mDayOfWeek
	mDayOfYear
	mWeekOfYear
)

func aggregate(a, b int) int {
	if a == 0 || b == 0 {
		return 0
	}
	return max(a, b)
}

// establish turns the parsed fields into milliseconds since the epoch as
// a lenient GregorianCalendar in UTC does. Java's int arithmetic is kept,
// overflow included, so extreme inputs give Java's results.
func (b *builder) establish() int64 {
	c := *b
	if c.isSet(fWeekYear) && c.stamp[fWeekYear] > c.stamp[fYear] {
		c.applyWeekDate()
	}
	year := int32(1970)
	if c.isSet(fYear) {
		year = c.val[fYear]
	}
	if c.isSet(fEra) && c.val[fEra] == 0 {
		year = 1 - year
	}
	days, tod := floorDiv(c.timeOfDay(), msPerDay), floorMod(c.timeOfDay(), msPerDay)
	mask := c.dateMask()
	var fixed int64
	switch {
	case year > cutoverYear:
		fixed = days + c.fixedDate(false, year, mask)
		if fixed < cutoverFixed {
			fixed = c.hybrid(days+c.fixedDate(true, year, mask), fixed, mask)
		}
	case year < cutoverYear:
		jfd := days + c.fixedDate(true, year, mask)
		fixed = jfd
		if jfd >= cutoverFixed {
			fixed = c.hybrid(jfd, jfd, mask)
		}
	default:
		fixed = c.hybrid(days+c.fixedDate(true, year, mask), days+c.fixedDate(false, year, mask), mask)
	}
	ms := (fixed-epochFixed)*msPerDay + tod
	return ms - int64(c.val[fZoneOffset]) - int64(c.val[fDSTOffset])
}

// hybrid picks between a date computed on the Julian (jfd) and on the
// Gregorian (gfd) calendar around the 1582 cutover.
func (c *builder) hybrid(jfd, gfd int64, mask int) int64 {
	if mask&(mDayOfYear|mWeekOfYear) != 0 || gfd < cutoverFixed {
		return jfd
	}
	return gfd
}

// timeOfDay is the milliseconds the time fields add to the date, from
// the hour of day or the hour and AM/PM, whichever was set last.
func (c *builder) timeOfDay() int64 {
	hodStamp := c.stamp[fHourOfDay]
	best := max(aggregate(c.stamp[fHour], c.stamp[fAmPm]), hodStamp)
	if best == 0 {
		best = max(c.stamp[fHour], c.stamp[fAmPm])
	}
	var t int64
	if best != 0 && best == hodStamp {
		t = int64(c.val[fHourOfDay])
	} else {
		t = int64(c.val[fHour])
		if best != 0 && c.isSet(fAmPm) {
			t += 12 * int64(c.val[fAmPm])
		}
	}
	t = t*60 + int64(c.val[fMinute])
	t = t*60 + int64(c.val[fSecond])
	return t*1000 + int64(c.val[fMilli])
}

// dateMask picks the group of date fields set last, as
// GregorianCalendar.selectFields does.
func (c *builder) dateMask() int {
	s := &c.stamp
	dow, month, dom := s[fDayOfWeek], s[fMonth], s[fDayOfMonth]
	wom := aggregate(s[fWeekOfMonth], dow)
	dowim := aggregate(s[fDayOfWeekInMonth], dow)
	doy := s[fDayOfYear]
	woy := aggregate(s[fWeekOfYear], dow)
	best := max(dom, wom, dowim, doy, woy)
	if best == 0 {
		wom = s[fWeekOfMonth]
		dowim = max(s[fDayOfWeekInMonth], dow)
		woy = s[fWeekOfYear]
		best = max(wom, dowim, woy)
		if best == 0 {
			best, dom = month, month
		}
	}
	if best == dom || best == wom && s[fWeekOfMonth] >= s[fWeekOfYear] || best == dowim && s[fDayOfWeekInMonth] >= s[fWeekOfYear] {
		mask := mMonth
		if best == dom {
			return mask | mDayOfMonth
		}
		if dow != 0 {
			mask |= mDayOfWeek
		}
		switch {
		case wom == dowim:
			if s[fWeekOfMonth] >= s[fDayOfWeekInMonth] {
				mask |= mWeekOfMonth
			} else {
				mask |= mDayOfWeekInMonth
			}
		case best == wom:
			mask |= mWeekOfMonth
		case s[fDayOfWeekInMonth] != 0:
			mask |= mDayOfWeekInMonth
		}
		return mask
	}
	if best == doy {
		return mDayOfYear
	}
	mask := mWeekOfYear
	if dow != 0 {
		mask |= mDayOfWeek
	}
	return mask
}

// fixedDate is the day the date fields in mask name in year, on the
// Julian or the Gregorian calendar.
func (c *builder) fixedDate(julian bool, year int32, mask int) int64 {
	month := int32(0)
	if mask&mMonth != 0 {
		month = c.val[fMonth]
		if month > 11 {
			year += month / 12
			month %= 12
		} else if month < 0 {
			year += int32(floorDiv(int64(month), 12))
			month = int32(floorMod(int64(month), 12))
		}
	}
	fixed := calendarFixed(julian, int64(year), int64(month)+1, 1)
	switch {
	case mask&mMonth == 0 && mask&mDayOfYear != 0:
		return fixed + int64(c.val[fDayOfYear]) - 1
	case mask&mMonth == 0:
		first := firstWeekStart(fixed)
		if mask&mDayOfWeek != 0 && int64(c.val[fDayOfWeek]) != firstWeekday {
			first = weekdayOnOrBefore(first+6, int64(c.val[fDayOfWeek]))
		}
		return first + 7*(int64(c.val[fWeekOfYear])-1)
	case mask&mDayOfMonth != 0:
		if c.isSet(fDayOfMonth) {
			fixed += int64(c.val[fDayOfMonth]) - 1
		}
		return fixed
	case mask&mWeekOfMonth != 0:
		first := firstWeekStart(fixed)
		if mask&mDayOfWeek != 0 {
			first = weekdayOnOrBefore(first+6, int64(c.val[fDayOfWeek]))
		}
		return first + 7*(int64(c.val[fWeekOfMonth])-1)
	}
	dow := int64(firstWeekday)
	if mask&mDayOfWeek != 0 {
		dow = int64(c.val[fDayOfWeek])
	}
	dowim := int64(1)
	if mask&mDayOfWeekInMonth != 0 {
		dowim = int64(c.val[fDayOfWeekInMonth])
	}
	if dowim >= 0 {
		return weekdayOnOrBefore(fixed+7*dowim-1, dow)
	}
	last := monthLength(int64(month), int64(year)) + 7*(dowim+1)
	return weekdayOnOrBefore(fixed+last-1, dow)
}

// firstWeekStart is the first day of the first week of the period
// starting on day1.
func firstWeekStart(day1 int64) int64 {
	first := weekdayOnOrBefore(day1+6, firstWeekday)
	if first-day1 >= minDaysInWeek {
		first -= 7
	}
	return first
}

func monthLength(month, year int64) int64 {
	lengths := [12]int64{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}
	leap := julianLeap(year)
	if year > cutoverYear {
		leap = gregorianLeap(year)
	}
	if month == 1 && leap {
		return 29
	}
	return lengths[month]
}

// applyWeekDate replaces the date fields with the day a week year, week
// of year and day of week name, as Calendar.setWeekDate does when a week
// year ('Y') was parsed after any calendar year.
func (c *builder) applyWeekDate() {
	woy := int64(1)
	if c.isSet(fWeekOfYear) {
		woy = int64(c.val[fWeekOfYear])
	}
	dow := int64(firstWeekday)
	if c.isSet(fDayOfWeek) {
		dow = int64(c.val[fDayOfWeek])
	}
	if dow < 1 || dow > 7 {
		if dow >= 8 {
			dow--
			woy += dow / 7
			dow = dow%7 + 1
		} else {
			for dow <= 0 {
				dow += 7
				woy--
			}
		}
		// Java converts the normalised day as an ISO day number here.
		if dow == 7 {
			dow = 1
		} else {
			dow++
		}
	}
	year := int64(c.val[fWeekYear])
	if c.isSet(fEra) && c.val[fEra] == 0 {
		year = 1 - year
	}
	days := dow - firstWeekday
	if days < 0 {
		days += 7
	}
	fixed := firstWeekStart(jan1(year)) + days + 7*(woy-1)
	y, m, d := civil(fixed)
	era, yoe := int32(1), int32(y)
	if y <= 0 {
		era, yoe = 0, int32(1-y)
	}
	c.set(fEra, era)
	c.set(fYear, yoe)
	c.set(fMonth, int32(m-1))
	c.set(fDayOfMonth, int32(d))
}
