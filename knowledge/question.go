package knowledge

import (
	"bytes"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// withQuestion returns an entry's text with question added to its alternate
// questions, leaving the body and the rest of the front matter as they were.
func withQuestion(text, question string) (string, error) {
	lines := strings.SplitAfter(text, "\n")
	end := -1
	for i := 1; i < len(lines); i++ {
		if strings.TrimRight(lines[i], " \t\r\n") == string(delimiter) {
			end = i
			break
		}
	}
	if end < 0 {
		return "", fmt.Errorf("front matter is not closed by a \"---\" line")
	}
	var root yaml.Node
	if err := yaml.Unmarshal([]byte(strings.Join(lines[1:end], "")), &root); err != nil || len(root.Content) == 0 {
		return "", fmt.Errorf("malformed front matter: %v", err)
	}
	m := root.Content[0]
	var qs *yaml.Node
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == "questions" {
			qs = m.Content[i+1]
		}
	}
	if qs == nil || qs.Kind != yaml.SequenceNode {
		qs = &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "questions"}, qs)
	}
	for _, n := range qs.Content {
		if strings.EqualFold(strings.TrimSpace(n.Value), question) {
			return "", fmt.Errorf("%q is already a question of this entry: %w", question, ErrNoChange)
		}
	}
	qs.Content = append(qs.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: question})
	var front bytes.Buffer
	enc := yaml.NewEncoder(&front)
	enc.SetIndent(2)
	if err := enc.Encode(&root); err != nil {
		return "", err
	}
	return lines[0] + front.String() + strings.Join(lines[end:], ""), nil
}
