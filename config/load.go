package config

// ConnectorFile is one connector configuration file given on the command line.
type ConnectorFile struct {
	Path         string
	Name         string
	Config       map[string]string // includes "name"
	InitialState string            // "", RUNNING, PAUSED or STOPPED (JSON files only)
}
