package rest

import (
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"net/http"

	"github.com/connect-standalone/connect-standalone/config"
)

// unauthorizedMessage is Kafka's answer (JaasBasicAuthFilter) to a request
// without valid credentials.
const unauthorizedMessage = "User cannot access the resource."

// credentials maps each user to the SHA-256 of their password. Comparing
// digests of equal length keeps the comparison's time independent of the
// password's length.
type credentials map[string][sha256.Size]byte

// loadCredentials reads rest.basic.auth.credentials.file, a properties file
// of user=password lines as Kafka's PropertyFileLoginModule reads it. An
// empty path means no authentication. A file naming no user is an error:
// Kafka then lets every request in, which nobody setting the key wants.
func loadCredentials(path string) (credentials, error) {
	if path == "" {
		return nil, nil
	}
	props, err := config.LoadProperties(path)
	if err != nil {
		return nil, &config.KeyError{Key: config.KeyRestBasicAuthCredentialsFile, Err: err}
	}
	if len(props) == 0 {
		return nil, &config.KeyError{Key: config.KeyRestBasicAuthCredentialsFile, Err: fmt.Errorf("%s names no user; add user=password lines", path)}
	}
	users := make(credentials, len(props))
	for user, password := range props {
		users[user] = sha256.Sum256([]byte(password))
	}
	return users, nil
}

// valid reports whether password is user's. An unknown user costs the
// same comparison as a known one.
func (c credentials) valid(user, password string) bool {
	want, known := c[user]
	got := sha256.Sum256([]byte(password))
	return subtle.ConstantTimeCompare(got[:], want[:]) == 1 && known
}

// authenticated checks a request's basic credentials when the API requires
// them, answering 401 as Kafka does, plus the WWW-Authenticate challenge
// HTTP requires, when they are missing or wrong. Every path is protected,
// /health included, as Kafka's BasicAuthSecurityRestExtension does.
func (s *Server) authenticated(w http.ResponseWriter, r *http.Request) bool {
	if s.users == nil {
		return true
	}
	user, password, ok := r.BasicAuth()
	if ok && s.users.valid(user, password) {
		return true
	}
	// At debug, as Kafka does, so that mistyped credentials do not flood
	// the log. An unknown user name is not logged: it may be a password
	// typed in the wrong field.
	who := "none"
	if _, known := s.users[user]; known {
		who = user
	} else if ok {
		who = "unknown"
	}
	s.log.Debug("REST request refused: invalid credentials", "method", r.Method, "path", r.URL.Path, "remote", r.RemoteAddr, "user", who)
	w.Header().Set("WWW-Authenticate", `Basic realm="connect"`)
	writeError(w, http.StatusUnauthorized, unauthorizedMessage)
	return false
}
