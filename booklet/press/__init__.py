"""The press: print-ready files, imposition, CMYK, order files and print runs."""
