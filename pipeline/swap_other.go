//go:build !linux

package pipeline

import (
	"errors"
	"os"
	"path/filepath"
)

// exchange puts the folder tmp in place of name, both inside the folder dir;
// tmp then holds the old content. Without an atomic exchange, name is
// missing for the moment between two renames.
func exchange(dir, tmp, name string) error {
	spare := filepath.Join(dir, spareName(name))
	if err := os.Rename(filepath.Join(dir, name), spare); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if err := os.Rename(filepath.Join(dir, tmp), filepath.Join(dir, name)); err != nil {
		os.Rename(spare, filepath.Join(dir, name))
		return err
	}
	if err := os.Rename(spare, filepath.Join(dir, tmp)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}
