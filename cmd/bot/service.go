package main

import (
	"fmt"
	"io/fs"
	"log/slog"
	"os"

	"github.com/smpbot/bot/index"
	"github.com/smpbot/bot/knowledge"
	"github.com/smpbot/bot/knowledge/guide"
)

// loadBase reads the knowledge base in dir, or the embedded default when dir
// is empty.
func loadBase(dir string) (*knowledge.Base, error) {
	var fsys fs.FS = guide.FS()
	if dir != "" {
		if _, err := os.Stat(dir); err != nil {
			return nil, fmt.Errorf("knowledge base: %w", err)
		}
		fsys = os.DirFS(dir)
	}
	return knowledge.Load(fsys)
}

// newService loads a knowledge base, indexes it and returns the service that
// answers from it with the calibrated thresholds, or with cal when not nil.
func newService(dir string, cal *knowledge.Calibration, log *slog.Logger) (*knowledge.Service, error) {
	base, err := loadBase(dir)
	if err != nil {
		return nil, err
	}
	idx, err := index.Build(base)
	if err != nil {
		return nil, err
	}
	if cal == nil {
		c, err := guide.Calibration()
		if err != nil {
			return nil, fmt.Errorf("read calibration: %w", err)
		}
		cal = &c
	}
	return knowledge.NewService(base, idx, *cal, log), nil
}
