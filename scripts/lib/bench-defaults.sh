# Sourced by the bench scripts after their options are read: the default
# model (the one setup fetched) and one thread per physical core, as the
# engine itself uses, unless --model / --threads said otherwise.
. scripts/lib/data-dir.sh
MODEL="${MODEL:-$MODELS_DIR/SmolLM2-135M-Instruct.Q4_1.gguf}"
THREADS="${THREADS:-$(lscpu -p=Core,Socket 2>/dev/null | grep -v '^#' | sort -u | wc -l)}"
[ "$THREADS" -ge 1 ] 2>/dev/null || THREADS=1
