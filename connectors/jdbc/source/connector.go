package source

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/connectors/jdbc"
)

// Class is Confluent's class name of the connector.
const Class = "io.confluent.connect.jdbc.JdbcSourceConnector"

// Plugin returns the JDBC source connector plugin.
func Plugin() connectors.Plugin {
	def := Def()
	tdef := taskDef()
	return connectors.Plugin{
		Class:     Class,
		Kind:      connectors.KindSource,
		Version:   connectors.Version,
		Def:       def,
		Doc:       pluginDoc,
		Example:   pluginExample,
		NewSource: func() connectors.SourceConnector { return &connector{def: def, taskDef: tdef} },
	}
}

// connector lists the tables, spreads them over the tasks and watches for
// tables being added or removed.
type connector struct {
	def, taskDef *config.Def
	props        map[string]string
	s            *settings
	conn         *jdbc.Connection
	log          *slog.Logger

	mu     sync.Mutex
	tables []tableID

	stopWatch context.CancelFunc
	watching  sync.WaitGroup
}

func (c *connector) Config() *config.Def { return c.def }

// Start checks the configuration, connects and lists the tables. Unless a
// query is configured, a goroutine then lists them again every
// table.poll.interval.ms and asks the runtime to reconfigure the tasks when
// the list changed; Stop ends it.
func (c *connector) Start(ctx context.Context, cc connectors.ConnectorContext, v config.Values) error {
	c.log = slog.New(slog.DiscardHandler)
	if cc != nil && cc.Logger() != nil {
		c.log = cc.Logger()
	}
	s, err := newSettings(v)
	if err != nil {
		return err
	}
	c.s, c.props = s, maps.Clone(v.Raw())
	if c.conn, err = jdbc.Connect(ctx, v, c.log); err != nil {
		return err
	}
	if s.query != "" {
		return nil
	}
	tables, err := discover(ctx, c.conn, s)
	if err != nil {
		c.conn.DB.Close()
		return err
	}
	c.tables = tables
	c.logTables(tables)
	wctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	c.stopWatch = cancel
	c.watching.Go(func() { c.watch(wctx, cc) })
	return nil
}

func (c *connector) logTables(ts []tableID) {
	names := make([]string, len(ts))
	for i, t := range ts {
		names[i] = t.unquoted()
	}
	if len(names) == 0 {
		c.log.Warn("no table matches the table filters; waiting for one to be created")
		return
	}
	c.log.Info(fmt.Sprintf("JDBC source tables: %v", names))
}

func (c *connector) watch(ctx context.Context, cc connectors.ConnectorContext) {
	every := time.Duration(c.s.tablePoll) * time.Millisecond
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		tables, err := discover(ctx, c.conn, c.s)
		if err != nil {
			if ctx.Err() == nil {
				c.log.Error("listing the tables failed; trying again at the next interval", "error", err)
			}
			continue
		}
		c.mu.Lock()
		changed := !slices.Equal(tables, c.tables)
		c.tables = tables
		c.mu.Unlock()
		if changed {
			c.logTables(tables)
			if cc != nil {
				cc.RequestTaskReconfiguration()
			}
		}
	}
}

// TaskConfigs gives each task a contiguous share of the tables, or the
// query to one task. With no table yet, one task waits for the connector to
// find some. It is safe to call while the tables are being listed again.
func (c *connector) TaskConfigs(maxTasks int) ([]map[string]string, error) {
	task := func(tables string) map[string]string {
		p := maps.Clone(c.props)
		p[keyTables], p[keyTablesFetched] = tables, "true"
		return p
	}
	if c.s.query != "" {
		return []map[string]string{task("")}, nil
	}
	c.mu.Lock()
	tables := c.tables
	c.mu.Unlock()
	if err := checkDuplicates(tables); err != nil {
		return nil, err
	}
	if len(tables) == 0 {
		return []map[string]string{task("")}, nil
	}
	var out []map[string]string
	for _, g := range groupTables(tables, min(len(tables), max(maxTasks, 1))) {
		out = append(out, task(formatTables(g, c.conn.Conn.Dialect)))
	}
	return out, nil
}

// Stop ends the table watch and closes the connection.
func (c *connector) Stop(ctx context.Context) error {
	if c.stopWatch != nil {
		c.stopWatch()
		c.watching.Wait()
		c.stopWatch = nil
	}
	if c.conn == nil {
		return nil
	}
	err := c.conn.DB.Close()
	c.conn = nil
	return err
}

func (c *connector) NewTask() connectors.SourceTask { return &task{def: c.taskDef} }
