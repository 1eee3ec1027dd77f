package partition

import (
	"slices"
	"strings"
)

// localeNames are the texts Java's DateFormatSymbols gives a language,
// taken from Java 17's default (CLDR) locale data. Weekdays start on Sunday
// as time.Weekday does.
type localeNames struct {
	months, shortMonths     [12]string
	weekdays, shortWeekdays [7]string
	ampm, eras              [2]string
}

var english = &localeNames{
	months:        [12]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
	shortMonths:   [12]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},
	weekdays:      [7]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
	shortWeekdays: [7]string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"},
	ampm:          [2]string{"AM", "PM"},
	eras:          [2]string{"BC", "AD"},
}

var languages = map[string]*localeNames{
	"en": english,
	"de": {
		months:        [12]string{"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"},
		shortMonths:   [12]string{"Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.", "Dez."},
		weekdays:      [7]string{"Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"},
		shortWeekdays: [7]string{"So.", "Mo.", "Di.", "Mi.", "Do.", "Fr.", "Sa."},
		ampm:          [2]string{"AM", "PM"},
		eras:          [2]string{"v. Chr.", "n. Chr."},
	},
	"fr": {
		months:        [12]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
		shortMonths:   [12]string{"janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."},
		weekdays:      [7]string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"},
		shortWeekdays: [7]string{"dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam."},
		ampm:          [2]string{"AM", "PM"},
		eras:          [2]string{"av. J.-C.", "ap. J.-C."},
	},
	"es": {
		months:        [12]string{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"},
		shortMonths:   [12]string{"ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"},
		weekdays:      [7]string{"domingo", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado"},
		shortWeekdays: [7]string{"dom", "lun", "mar", "mié", "jue", "vie", "sáb"},
		ampm:          [2]string{"a. m.", "p. m."},
		eras:          [2]string{"a. C.", "d. C."},
	},
}

// lookupLocale resolves a locale setting as Confluent's new Locale(s) does.
// That constructor takes the whole string as a language, so "fr-FR" or
// "en_US" name no language Java knows and print with the JVM's default
// locale, which this package takes to be English. A bare language selects
// its texts; ok is false for a bare language without texts here.
func lookupLocale(s string) (names *localeNames, ok bool) {
	lang := strings.ToLower(s)
	if n, found := languages[lang]; found {
		return n, true
	}
	if strings.ContainsAny(lang, "-_") {
		return english, true
	}
	return english, false
}

func supportedLanguages() []string {
	out := make([]string, 0, len(languages))
	for l := range languages {
		out = append(out, l)
	}
	slices.Sort(out)
	return out
}
