// Command connect-standalone runs Kafka Connect connectors in one process,
// as Apache Kafka's bin/connect-standalone.sh does.
package main

import (
	"os"

	"github.com/connect-standalone/connect-standalone/cmd"
)

func main() {
	os.Exit(cmd.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
