"""`python -m drivers.simulator --config FILE ...`: the same as `heatconsole simulate`."""

import sys

from console.commands.simulate import main

sys.exit(main())
