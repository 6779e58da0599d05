"""The employment services' writes, one module per subtopic: fairs and postings, the public
application with its one-time code, the enterprise's pipeline to a hire, introducers."""
