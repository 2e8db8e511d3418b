module github.com/servicedesk-go/desk/phrasebook/lintbench

go 1.26.0

require (
	github.com/coregx/ahocorasick v0.3.1
	github.com/servicedesk-go/desk v0.1.0
)
