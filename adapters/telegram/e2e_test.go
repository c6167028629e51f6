package telegram

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/smpbot/bot/adapters/telegram/telegramtest"
)

// TestBinary builds the bot command and runs it against the fake Bot API
// through TELEGRAM_API_URL: it must answer a private question and a group
// mention, then stop cleanly on SIGTERM.
func TestBinary(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "cmd", "bot")); err != nil {
		t.Skipf("no cmd/bot package to test end to end: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "bot")
	build := exec.Command("go", "build", "-o", bin, "./cmd/bot")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/bot: %v\n%s", err, out)
	}

	f := telegramtest.New(t)
	cmd := exec.Command(bin)
	cmd.Env = []string{"TELEGRAM_TOKEN=" + telegramtest.Token, "TELEGRAM_API_URL=" + f.URL(), "TELEGRAM_POLL_TIMEOUT=1s", "BOT_HTTP_ADDR=off"}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "TELEGRAM_") && !strings.HasPrefix(kv, "BOT_") && !strings.HasPrefix(kv, "DISCORD_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	var stderr lockedBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-exited
	})

	private, pid := f.Message(ann, annChat, "what is smp", nil)
	mention, mid := f.Message(ben, group, "@"+telegramtest.BotUsername+" how deep should smp pigment go?", nil)
	chatter, _ := f.Message(ann, group, "nice weather today", nil)
	ids := f.Push(private, mention, chatter)
	f.WaitHandled(ids[len(ids)-1])
	f.WaitSent(2)

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		exited <- err // for the cleanup
		if err != nil {
			t.Errorf("bot exited with %v after SIGTERM, want 0\nstderr:\n%s", err, stderr.String())
		}
	case <-time.After(telegramtest.WaitLimit):
		t.Fatalf("bot still running after SIGTERM\nstderr:\n%s", stderr.String())
	}
	// Whatever the bot took in, it answered before it exited.
	var replied []int
	for _, m := range f.Sent() {
		replied = append(replied, m.ReplyTo)
	}
	slices.Sort(replied)
	if want := []int{pid, mid}; !slices.Equal(replied, want) {
		t.Errorf("bot replied to %v, want %v\nstderr:\n%s", replied, want, stderr.String())
	}
	if strings.Contains(stderr.String(), telegramtest.Token) {
		t.Errorf("the bot logged its token:\n%s", stderr.String())
	}
}

// lockedBuffer is a bytes.Buffer that a process may write while the test
// reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
