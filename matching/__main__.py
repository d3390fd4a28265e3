import gc
import sys

from .cli import main

code = main()
# The process ends here: its last garbage collection would walk every object numpy and
# scipy created at import (20-30 ms of a national `solve`) to find nothing to free.
# Frozen objects are left out of it.
gc.freeze()
sys.exit(code)
