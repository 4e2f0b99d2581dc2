package present

import (
	"io"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/ui"
)

// EventInfo is an event as 'hookctl events --json' prints it.
type EventInfo struct {
	Provider    string `json:"provider"`
	Event       string `json:"event"`
	Description string `json:"description"`
}

// Events lists the providers' events: a table, or with asJSON a list
// (empty, not null, when there are none).
func Events(w io.Writer, st *ui.Styles, ps []*catalog.Provider, asJSON bool) error {
	list := []EventInfo{}
	for _, p := range ps {
		for _, e := range p.Events {
			list = append(list, EventInfo{p.Name, e.Name, e.Description})
		}
	}
	if asJSON {
		return JSON(w, list)
	}
	rows := [][]string{{"PROVIDER", "EVENT", "DESCRIPTION"}}
	for _, e := range list {
		rows = append(rows, []string{e.Provider, e.Event, e.Description})
	}
	return st.Table(w, rows)
}
