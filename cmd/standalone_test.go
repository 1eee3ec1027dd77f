package cmd

import (
	"bytes"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"testing"
)

func TestNewCmdStandalone(t *testing.T) {
	tests := []struct {
		name    string
		argv    []string
		want    StandaloneOptions
		wantErr string // substring of a *FlagError's message
	}{
		{
			name: "worker only",
			argv: []string{"worker.properties"},
			want: StandaloneOptions{WorkerFile: "worker.properties", ConnectorFiles: []string{}, LogLevel: slog.LevelInfo},
		},
		{
			name: "worker and connectors in order",
			argv: []string{"worker.properties", "b.properties", "a.json"},
			want: StandaloneOptions{WorkerFile: "worker.properties", ConnectorFiles: []string{"b.properties", "a.json"}, LogLevel: slog.LevelInfo},
		},
		{
			name: "embedded kafka",
			argv: []string{"--embedded-kafka", "w.properties", "s.properties"},
			want: StandaloneOptions{WorkerFile: "w.properties", ConnectorFiles: []string{"s.properties"}, EmbeddedKafka: true, LogLevel: slog.LevelInfo},
		},
		{
			name: "flags between files",
			argv: []string{"w.properties", "--embedded-kafka", "s.properties", "--log-level", "error"},
			want: StandaloneOptions{WorkerFile: "w.properties", ConnectorFiles: []string{"s.properties"}, EmbeddedKafka: true, LogLevel: slog.LevelError},
		},
		{
			name: "log level debug",
			argv: []string{"--log-level", "debug", "w.properties"},
			want: StandaloneOptions{WorkerFile: "w.properties", ConnectorFiles: []string{}, LogLevel: slog.LevelDebug},
		},
		{
			name: "log level is case-insensitive",
			argv: []string{"--log-level=WARN", "w.properties"},
			want: StandaloneOptions{WorkerFile: "w.properties", ConnectorFiles: []string{}, LogLevel: slog.LevelWarn},
		},
		{
			name: "file names after --",
			argv: []string{"--", "-w.properties", "--embedded-kafka"},
			want: StandaloneOptions{WorkerFile: "-w.properties", ConnectorFiles: []string{"--embedded-kafka"}, LogLevel: slog.LevelInfo},
		},
		{name: "no arguments", argv: []string{}, wantErr: "missing the worker properties file"},
		{name: "only flags", argv: []string{"--embedded-kafka"}, wantErr: "missing the worker properties file"},
		{name: "bad log level", argv: []string{"--log-level", "verbose", "w.properties"}, wantErr: "want debug, info, warn or error"},
		{name: "unknown flag", argv: []string{"--strikt", "w.properties"}, wantErr: "unknown flag: --strikt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := testIO()
			var got *StandaloneOptions
			cmd := NewCmdStandalone(ios, func(o *StandaloneOptions) error {
				got = o
				return nil
			})
			cmd.SetArgs(tt.argv)
			err := cmd.Execute()
			if tt.wantErr != "" {
				var fe *FlagError
				if !errors.As(err, &fe) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Execute() error = %v, want a *FlagError containing %q", err, tt.wantErr)
				}
				if got != nil {
					t.Fatal("runF was called despite the usage error")
				}
				return
			}
			if err != nil {
				t.Fatalf("Execute() error = %v", err)
			}
			if got == nil {
				t.Fatal("runF was not called")
			}
			if got.IO != ios {
				t.Error("options do not carry the command's IOStreams")
			}
			if got.WorkerFile != tt.want.WorkerFile || !slices.Equal(got.ConnectorFiles, tt.want.ConnectorFiles) ||
				got.EmbeddedKafka != tt.want.EmbeddedKafka || got.LogLevel != tt.want.LogLevel {
				t.Errorf("options = %+v\nwant      %+v", *got, tt.want)
			}
		})
	}
}

func TestHelp(t *testing.T) {
	ios, _, stdout, stderr := testIO()
	code := execute(t.Context(), []string{"--help"}, ios, nil, failRun(t))
	if code != 0 {
		t.Fatalf("exit code = %d, want 0; stderr:\n%s", code, stderr)
	}
	for _, want := range []string{
		"connect-standalone [flags] WORKER_PROPERTIES [CONNECTOR_CONFIG ...]",
		"--embedded-kafka", "--log-level", "--version",
		"Standard output carries only the data", "connect-console-source.properties",
		"connect-file-source.json", "systemd",
	} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("help does not mention %q:\n%s", want, stdout)
		}
	}
}

func TestVersion(t *testing.T) {
	for _, flag := range []string{"--version", "-v"} {
		ios, _, stdout, _ := testIO()
		if code := execute(t.Context(), []string{flag}, ios, nil, failRun(t)); code != 0 {
			t.Fatalf("%s: exit code = %d, want 0", flag, code)
		}
		if got := stdout.String(); !strings.HasPrefix(got, "connect-standalone 0.") || !strings.Contains(got, "(go1.") {
			t.Errorf("%s printed %q, want connect-standalone <version> (go<version> ...)", flag, got)
		}
	}
}

func TestLevelFlagString(t *testing.T) {
	for _, n := range levelNames {
		l := levelFlag(n.level)
		if l.String() != n.name {
			t.Errorf("String() = %q, want %q", l.String(), n.name)
		}
	}
}

// testIO returns streams with an empty stdin and captured stdout and stderr.
func testIO() (*IOStreams, *bytes.Buffer, *bytes.Buffer, *bytes.Buffer) {
	in, out, errOut := &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	return &IOStreams{In: in, Out: out, ErrOut: errOut}, in, out, errOut
}

func failRun(t *testing.T) func(*StandaloneOptions) error {
	return func(*StandaloneOptions) error {
		t.Error("the worker must not run")
		return nil
	}
}
