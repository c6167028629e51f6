package console

import (
	"bufio"
	"errors"
	"io"
)

// maxLineBytes is how much of one line ReadLines keeps: far more than the
// service reads of a question, which it cuts to knowledge.MaxQuestionRunes.
const maxLineBytes = 64 << 10

// ReadLines calls fn with each line of r, without its line ending, until r
// ends or fn returns an error. A line longer than maxLineBytes is cut to that
// length rather than failing the whole input, so one huge pasted message
// cannot end a conversation.
func ReadLines(r io.Reader, fn func(line string) error) error {
	br := bufio.NewReaderSize(r, 4096)
	var line []byte
	for {
		chunk, isPrefix, err := br.ReadLine()
		if len(line) < maxLineBytes {
			line = append(line, chunk[:min(len(chunk), maxLineBytes-len(line))]...)
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		if isPrefix {
			continue
		}
		if err := fn(string(line)); err != nil {
			return err
		}
		line = line[:0]
	}
}
