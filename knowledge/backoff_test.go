package knowledge

import (
	"testing"
	"time"
)

func TestBackoffDelay(t *testing.T) {
	bo := Backoff{Min: time.Second, Max: 30 * time.Second}
	tests := []struct {
		try      int
		min, max time.Duration
	}{
		{1, 500 * time.Millisecond, time.Second},
		{2, time.Second, 2 * time.Second},
		{5, 8 * time.Second, 16 * time.Second},
		{6, 15 * time.Second, 30 * time.Second},
		{100, 15 * time.Second, 30 * time.Second},
	}
	for _, tt := range tests {
		for range 20 {
			if got := bo.Delay(tt.try); got < tt.min || got > tt.max {
				t.Errorf("Delay(%d) = %v, want between %v and %v", tt.try, got, tt.min, tt.max)
			}
		}
	}
}
