package datadir

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/smpbot/bot/knowledge"
)

// CredentialsDir holds the web console's login links and sessions, one file
// per credential named after its key (see knowledge.Credentials). It is
// readable by the directory's owner only, though it holds only hashes.
const CredentialsDir = "web-logins"

// credentialPath returns the file of the credential with key, refusing a
// key that is not one (and so cannot name a path elsewhere).
func (s *Store) credentialPath(key string) (string, error) {
	if !knowledge.ValidCredentialKey(key) {
		return "", knowledge.ErrNotFound
	}
	return filepath.Join(s.dir, CredentialsDir, key+".json"), nil
}

// PutCredential writes c to its own file, atomically, and removes the files
// of credentials that have expired.
func (s *Store) PutCredential(ctx context.Context, c knowledge.Credential) error {
	if s.readOnly != nil {
		return s.readOnly
	}
	p, err := s.credentialPath(c.Key)
	if err != nil {
		return fmt.Errorf("credential key %q: %w", c.Key, err)
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return err
	}
	data, err := json.Marshal(c)
	if err != nil {
		return err
	}
	if err := writeFileAtomic(p, data); err != nil {
		return err
	}
	s.pruneCredentials(ctx, time.Now())
	return nil
}

// pruneCredentials removes the files of credentials expired before now, best
// effort: one left behind is refused when presented anyway.
func (s *Store) pruneCredentials(ctx context.Context, now time.Time) {
	dir := filepath.Join(s.dir, CredentialsDir)
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		key, ok := strings.CutSuffix(e.Name(), ".json")
		if !ok || ctx.Err() != nil {
			continue
		}
		if c, err := s.Credential(ctx, key); err == nil && now.After(c.Expires) {
			_, _ = s.TakeCredential(ctx, key)
		}
	}
}

// Credential reads the credential kept under key.
func (s *Store) Credential(_ context.Context, key string) (knowledge.Credential, error) {
	p, err := s.credentialPath(key)
	if err != nil {
		return knowledge.Credential{}, err
	}
	return readCredential(p)
}

func readCredential(p string) (knowledge.Credential, error) {
	data, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return knowledge.Credential{}, knowledge.ErrNotFound
	}
	if err != nil {
		return knowledge.Credential{}, err
	}
	var c knowledge.Credential
	if err := json.Unmarshal(data, &c); err != nil {
		return knowledge.Credential{}, fmt.Errorf("%s: %w", p, err)
	}
	return c, nil
}

// TakeCredential removes the credential kept under key and returns it. The
// file is first renamed to a name of its taker's own, which only one of
// several processes racing for it can do.
func (s *Store) TakeCredential(_ context.Context, key string) (knowledge.Credential, error) {
	if s.readOnly != nil {
		return knowledge.Credential{}, s.readOnly
	}
	p, err := s.credentialPath(key)
	if err != nil {
		return knowledge.Credential{}, err
	}
	f, err := os.CreateTemp(filepath.Dir(p), tempPrefix+"taken-*")
	if errors.Is(err, fs.ErrNotExist) {
		return knowledge.Credential{}, knowledge.ErrNotFound
	}
	if err != nil {
		return knowledge.Credential{}, err
	}
	taken := f.Name()
	f.Close()
	defer os.Remove(taken)
	if err := os.Rename(p, taken); errors.Is(err, fs.ErrNotExist) {
		return knowledge.Credential{}, knowledge.ErrNotFound
	} else if err != nil {
		return knowledge.Credential{}, err
	}
	return readCredential(taken)
}

// DropCredentials removes every credential.
func (s *Store) DropCredentials(context.Context) error {
	if s.readOnly != nil {
		return s.readOnly
	}
	dir := filepath.Join(s.dir, CredentialsDir)
	// Renamed away first, so that no link is redeemed half-way through.
	gone := dir + ".dropped"
	if err := os.RemoveAll(gone); err != nil {
		return err
	}
	if err := os.Rename(dir, gone); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return os.RemoveAll(gone)
}
