"""The pages of the flows added after the first matrix, one module per flow (see test_page_authorization)."""
