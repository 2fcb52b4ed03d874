#!/bin/bash
# Reports the uploaded input's size and checksum.
echo "::notice::input $(stat -c %s "$BUILDCAST_INPUT") bytes sha256 $(sha256sum "$BUILDCAST_INPUT" | cut -d' ' -f1)"
