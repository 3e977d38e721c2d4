"""Recognition in the asking region: native, recognised under an agreement (with the
equivalent in that region's terms), or not recognised and why."""
