"""Reports: the comparison written out as JSON, HTML, Markdown, CSV and classroom worksheets."""
