package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/connect-standalone/connect-standalone/config"

	"github.com/connect-standalone/connect-standalone/connectors"
)

// The worker a client command talks to when neither --url nor CONNECT_URL
// names one: Kafka's default listener, reached on this machine.
const (
	defaultConnectURL = "http://localhost:8083"
	envConnectURL     = "CONNECT_URL"
	defaultTimeout    = 30 * time.Second
)

// clientFooter ends the long help of every client command.
const clientFooter = `
The worker is the one at --url, else at $CONNECT_URL, else at
http://localhost:8083: a worker's REST API listens on its listeners setting,
whose default, http://localhost:8083, is the loopback interface only.

Exit codes:
  0  the worker did what was asked
  1  the worker answered an error, could not be reached or did not answer in
     time, or a usage error`

// outputFormat is what --output accepts.
type outputFormat string

const (
	outputText outputFormat = "text"
	outputJSON outputFormat = "json"
)

func (o *outputFormat) String() string { return string(*o) }
func (o *outputFormat) Type() string   { return "format" }

func (o *outputFormat) Set(s string) error {
	switch f := outputFormat(strings.ToLower(s)); f {
	case outputText, outputJSON:
		*o = f
		return nil
	}
	return errors.New("want text or json")
}

// clientOptions are the flags every client command has.
type clientOptions struct {
	URL     string
	Output  outputFormat
	Timeout time.Duration
}

// clientRun is what a client command's body works with: its streams, its
// options and a client for the worker.
type clientRun struct {
	io     *IOStreams
	opts   *clientOptions
	client *restClient
}

// newClientCmd completes c as a client command taking the names args
// allows: shared flags after c's own, usage errors pointing at c's own
// help, and a context bounded by --timeout in which run talks to the
// worker.
func newClientCmd(ios *IOStreams, c *cobra.Command, args func([]string) error, run func(context.Context, *clientRun, []string) error) *cobra.Command {
	opts := &clientOptions{URL: defaultConnectURL, Output: outputText, Timeout: defaultTimeout}
	c.Long += "\n" + clientFooter
	c.DisableFlagsInUseLine = true
	c.SilenceUsage = true
	c.SilenceErrors = true
	c.Args = func(c *cobra.Command, a []string) error {
		if err := args(a); err != nil {
			return usage(c.CommandPath(), err)
		}
		return nil
	}
	c.RunE = func(c *cobra.Command, a []string) error {
		if !c.Flags().Changed("url") {
			if u, ok := os.LookupEnv(envConnectURL); ok && u != "" {
				opts.URL = u
			}
		}
		base, err := parseWorkerURL(opts.URL)
		if err != nil {
			return usage(c.CommandPath(), err)
		}
		if opts.Timeout < 0 {
			return usage(c.CommandPath(), fmt.Errorf("--timeout %v: want a positive duration, or 0 to wait as long as it takes", opts.Timeout))
		}
		ctx := c.Context()
		if opts.Timeout > 0 {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, opts.Timeout)
			defer cancel()
		}
		// A transport of its own, closed on return, leaves no idle
		// connection behind in tests or in a process that embeds Main.
		tr := http.DefaultTransport.(*http.Transport).Clone()
		defer tr.CloseIdleConnections()
		rc := &restClient{base: base, http: &http.Client{Transport: tr}}
		err = run(ctx, &clientRun{io: ios, opts: opts, client: rc}, a)
		return explainFailure(ctx, base, opts.Timeout, err)
	}
	c.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return usage(c.CommandPath(), err) })
	c.SetIn(ios.In)
	c.SetOut(ios.Out)
	c.SetErr(ios.ErrOut)
	f := c.Flags()
	f.StringVar(&opts.URL, "url", defaultConnectURL, "the worker's REST API; $"+envConnectURL+" when not given")
	f.VarP(&opts.Output, "output", "o", "text, or json: the worker's answer as it came, indented")
	f.DurationVar(&opts.Timeout, "timeout", defaultTimeout, "how long to wait for the worker; 0 waits as long as it takes")
	f.SortFlags = false
	return c
}

// parseWorkerURL checks that u can address a worker: http or https and a
// host. A path is kept, for a worker behind a reverse proxy.
func parseWorkerURL(u string) (*url.URL, error) {
	base, err := url.Parse(u)
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" || base.RawQuery != "" || base.Fragment != "" {
		return nil, fmt.Errorf("--url %q: want http://HOST:PORT or https://HOST:PORT, such as %s", u, defaultConnectURL)
	}
	return base, nil
}

// explainFailure turns a failure to talk to the worker into a message saying
// which worker and what to check. Errors the worker answered, and those
// found before asking, pass as they are.
func explainFailure(ctx context.Context, base *url.URL, timeout time.Duration, err error) error {
	if err == nil || errors.As(err, new(*restError)) {
		return err
	}
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return fmt.Errorf("the worker at %s did not answer within %v (--timeout)", base.Redacted(), timeout)
	case ctx.Err() != nil:
		return fmt.Errorf("interrupted before the worker at %s answered", base.Redacted())
	case errors.Is(err, syscall.ECONNREFUSED):
		return fmt.Errorf("cannot connect to the worker at %s: connection refused\n"+
			"Is the worker running? Its REST API listens on the addresses of its listeners setting\n"+
			"(default %s); name another worker with --url or $%s.",
			base.Redacted(), config.DefaultListeners, envConnectURL)
	}
	if dnsErr := (*net.DNSError)(nil); errors.As(err, &dnsErr) {
		return fmt.Errorf("cannot reach the worker at %s: %w", base.Redacted(), dnsErr)
	}
	return err
}

// restError is an error answer of the worker. Kafka's answers carry
// {"error_code":N,"message":"..."} with N the HTTP status; the message is
// kept as it came, since users search for Kafka's texts.
type restError struct {
	Status  int // HTTP status
	Code    int // error_code, or Status when the body is not Kafka's
	Message string
}

func (e *restError) Error() string { return fmt.Sprintf("%d %s", e.Code, e.Message) }

// restClient calls one worker's REST API. It is safe for concurrent use.
type restClient struct {
	base *url.URL
	http *http.Client
}

// connectorPath is the path of a connector's resource, then of its
// sub-resource sub. PathEscape keeps a "/", a space or any non-ASCII
// character in the name from changing which resource is addressed.
func connectorPath(name string, sub ...string) string {
	return strings.Join(append([]string{"/connectors", url.PathEscape(name)}, sub...), "/")
}

// do sends one request and returns the status and body of a 2xx answer.
// in, when not nil, is sent as JSON. Any other answer is a *restError. It
// blocks until the body is read or ctx is done.
func (c *restClient) do(ctx context.Context, method, path string, query url.Values, in any) (int, []byte, error) {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return 0, nil, fmt.Errorf("encode the request to %s %s: %w", method, path, err)
		}
		body = bytes.NewReader(b)
	}
	// The base URL's path, escaped, prefixes ours, also escaped: joining the
	// escaped forms keeps a %2F in a name from becoming a path separator.
	target := strings.TrimSuffix(c.base.String(), "/") + path
	if len(query) > 0 {
		target += "?" + query.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, method, target, body)
	if err != nil {
		return 0, nil, fmt.Errorf("build the request %s %s: %w", method, path, err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "connect-standalone/"+connectors.Version)
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, nil, fmt.Errorf("read the answer to %s %s: %w", method, path, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, nil, newRESTError(resp.StatusCode, b)
	}
	return resp.StatusCode, b, nil
}

// newRESTError reads Kafka's error body, or summarises another one, such
// as a proxy's page.
func newRESTError(status int, body []byte) *restError {
	var kb struct {
		Code    int    `json:"error_code"`
		Message string `json:"message"`
	}
	if json.Unmarshal(body, &kb) == nil && kb.Code != 0 {
		return &restError{Status: status, Code: kb.Code, Message: kb.Message}
	}
	msg := http.StatusText(status)
	if first, _, _ := strings.Cut(strings.TrimSpace(string(body)), "\n"); first != "" {
		const limit = 200
		if r := []rune(first); len(r) > limit {
			first = string(r[:limit]) + "..."
		}
		msg += ": " + first
	}
	return &restError{Status: status, Code: status, Message: msg}
}

// decodeAnswer reads a worker's 2xx answer into v.
func decodeAnswer(method, path string, body []byte, v any) error {
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("read the answer to %s %s: %w", method, path, err)
	}
	return nil
}

// writeAnswer writes a worker's answer indented, as it came otherwise. An
// empty answer writes nothing.
func writeAnswer(w io.Writer, body []byte) error {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return nil
	}
	var b bytes.Buffer
	if err := json.Indent(&b, body, "", "  "); err != nil {
		return fmt.Errorf("the worker's answer is not JSON: %w", err)
	}
	b.WriteByte('\n')
	_, err := w.Write(b.Bytes())
	return err
}

// alignedCellBlanks keeps a tab or line break in a name or a message from
// breaking a table's columns.
var alignedCellBlanks = strings.NewReplacer("\t", " ", "\n", " ", "\r", " ")

// writeAligned writes rows aligned in columns two spaces apart. Every row
// must have as many cells as the first: a shorter one would restart the
// alignment of the columns it lacks. Trailing blanks are dropped.
func writeAligned(w io.Writer, rows [][]string) error {
	var b bytes.Buffer
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	for _, r := range rows {
		cells := make([]string, len(r))
		for i, c := range r {
			cells[i] = alignedCellBlanks.Replace(c)
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	var out strings.Builder
	for line := range strings.Lines(b.String()) {
		out.WriteString(strings.TrimRight(line, " \n"))
		out.WriteByte('\n')
	}
	_, err := io.WriteString(w, out.String())
	return err
}
