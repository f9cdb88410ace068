"""`python -m reissue` runs the command line, as the `reissue` console script does."""

from reissue.cli import main

if __name__ == "__main__":
    main()
