# Sourced by the scripts: the data folder and the models folder, as the app
# itself finds them (crates/core/src/config.rs): $DESKPILOT_DATA_DIR, else
# $XDG_DATA_HOME/deskpilot, else ~/.local/share/deskpilot; the models in
# $DESKPILOT_MODELS_DIR, else its models/ folder.
DATA_DIR="${DESKPILOT_DATA_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/deskpilot}"
MODELS_DIR="${DESKPILOT_MODELS_DIR:-$DATA_DIR/models}"
