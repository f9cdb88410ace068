"""Web reader: the library server (`reissue serve`) and the self-contained edition page."""
