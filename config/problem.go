package config

import (
	"strconv"
	"strings"
)

// didYouMean starts the suggestion Warnings appends to an unknown key.
const didYouMean = "; did you mean "

// SplitWarning takes apart a sentence from Warnings, for tools that report
// it field by field: the key it is about (empty when it does not start with
// a quoted key), the sentence without its suggestion, and the suggestion
// ("did you mean ...?"), empty when there is none.
func SplitWarning(w string) (key, message, hint string) {
	message = w
	if i := strings.LastIndex(w, didYouMean); i >= 0 {
		message, hint = w[:i], w[i+2:]
	}
	if q, err := strconv.QuotedPrefix(message); err == nil {
		key, _ = strconv.Unquote(q)
	}
	return key, message, hint
}
