"""One training step of a real TRL trainer on a JSONL file `guardloop extract` wrote, loaded unchanged.

Usage: python train_step.py FILE KIND    (KIND: sft-prompt-completion | sft-messages | dpo | kto | load)

The file is loaded with `datasets.load_dataset("json", data_files=FILE)` as a user would, never
rewritten. No weights are downloaded: a byte-level BPE tokenizer is trained on the file's own strings
and given TRL's bundled Qwen2.5 training chat template; the model is a tiny Qwen2 built from a config
and saved to a temporary folder (DPO and KTO load their reference model from its path). One step on the
CPU, batch size 2. Prints one line `TRAIN_STEP_RESULT {json}` on stdout: loss, grad_norm, rows_in_file,
rows_in_dataset (what the trainer kept), rows_loaded (what the JSON loader gave), timings, versions, and
for messages the tokens the loss was computed on. KIND `load` stops after loading (files too large to
train on here: the schema the loader inferred and the rows it kept). Any error exits non-zero with the
traceback.
"""

import os

# Before anything imports huggingface_hub: nothing may reach the network.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["HF_DATASETS_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
os.environ["TOKENIZERS_PARALLELISM"] = "false"
os.environ["WANDB_DISABLED"] = "true"

import json
import math
import platform
import sys
import tempfile
import time

KINDS = ("sft-prompt-completion", "sft-messages", "dpo", "kto", "load")
SPECIALS = ["<|im_start|>", "<|im_end|>", "<pad>"]
RESULT_PREFIX = "TRAIN_STEP_RESULT "


def strings_of(value):
    """Every string in a row, depth first: the text the tokenizer is trained on."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from strings_of(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from strings_of(v)


def build_tokenizer(dataset, template_path):
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=2000,
        special_tokens=SPECIALS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    texts = [s for row in dataset for s in strings_of(row)]
    tok.train_from_iterator(texts, trainer=trainer)
    with open(template_path, encoding="utf-8") as f:
        template = f.read()
    return PreTrainedTokenizerFast(
        tokenizer_object=tok,
        eos_token="<|im_end|>",
        pad_token="<pad>",
        bos_token=None,
        chat_template=template,
    )


def build_model(tokenizer, model_dir):
    import torch
    from transformers import Qwen2Config, Qwen2ForCausalLM

    torch.manual_seed(0)
    config = Qwen2Config(
        vocab_size=len(tokenizer),
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=2,
        num_attention_heads=2,
        num_key_value_heads=1,
        max_position_embeddings=4096,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
        bos_token_id=None,
        tie_word_embeddings=True,
    )
    Qwen2ForCausalLM(config).save_pretrained(model_dir)
    tokenizer.save_pretrained(model_dir)
    return Qwen2ForCausalLM.from_pretrained(model_dir)


def common_args(out_dir):
    return dict(
        output_dir=out_dir,
        max_steps=1,
        per_device_train_batch_size=2,
        report_to="none",
        use_cpu=True,
        bf16=False,
        fp16=False,
        gradient_checkpointing=False,
        save_strategy="no",
        logging_steps=1,
        disable_tqdm=True,
        dataloader_num_workers=0,
        seed=0,
    )


def assistant_tokens(tokenizer, dataset):
    """messages rows: the tokens of all assistant turns, and of those whose `weight` is not 0 (what a trainer
    honouring weights would train on)."""
    total = 0
    weighted = 0
    for row in dataset:
        messages = row["messages"]
        ids = tokenizer.apply_chat_template(messages, tokenize=True, return_dict=True, return_assistant_tokens_mask=True)
        mask = ids["assistant_masks"]
        total += sum(mask)
        # Walk the assistant spans in order; each span belongs to the next assistant message.
        spans = []
        start = None
        for i, bit in enumerate(mask + [0]):
            if bit and start is None:
                start = i
            elif not bit and start is not None:
                spans.append(i - start)
                start = None
        weights = [m.get("weight") for m in messages if m["role"] == "assistant"]
        if len(spans) != len(weights):
            raise RuntimeError(f"{len(spans)} assistant spans for {len(weights)} assistant messages")
        weighted += sum(n for n, w in zip(spans, weights) if w is None or w != 0)
    return total, weighted


def main(argv):
    if len(argv) != 3 or argv[2] not in KINDS:
        print(f"usage: {argv[0]} FILE {'|'.join(KINDS)}", file=sys.stderr)
        return 2
    path, kind = argv[1], argv[2]
    timings = {}
    t0 = time.perf_counter()

    import accelerate
    import datasets
    import tokenizers
    import torch
    import transformers
    import trl

    torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))
    transformers.logging.set_verbosity_error()
    datasets.logging.set_verbosity_error()
    datasets.disable_progress_bars()
    timings["import_s"] = time.perf_counter() - t0

    with open(path, encoding="utf-8") as f:
        rows_in_file = sum(1 for line in f if line.strip())

    t = time.perf_counter()
    dataset = datasets.load_dataset("json", data_files=path, split="train")
    rows_loaded = len(dataset)
    columns = list(dataset.column_names)
    features = {k: str(v) for k, v in dataset.features.items()}
    timings["load_s"] = time.perf_counter() - t

    versions = {
        "python": platform.python_version(),
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "datasets": datasets.__version__,
        "trl": trl.__version__,
        "tokenizers": tokenizers.__version__,
        "accelerate": accelerate.__version__,
    }
    if kind == "load":
        result = {"kind": kind, "rows_in_file": rows_in_file, "rows_loaded": rows_loaded, "columns": columns, "features": features}
        result["timings"] = {k: round(v, 3) for k, v in timings.items()}
        result["versions"] = versions
        print(RESULT_PREFIX + json.dumps(result), flush=True)
        return 0

    template = os.path.join(os.path.dirname(trl.__file__), "chat_templates", "qwen2_5_training.jinja")
    work = tempfile.mkdtemp(prefix="guardloop-train-")
    t = time.perf_counter()
    tokenizer = build_tokenizer(dataset, template)
    model = build_model(tokenizer, os.path.join(work, "model"))
    timings["build_s"] = time.perf_counter() - t

    out_dir = os.path.join(work, "out")
    extra = {}
    t = time.perf_counter()
    if kind.startswith("sft-"):
        from trl import SFTConfig, SFTTrainer

        # messages: the loss on the assistant turns only (the template's generation markers);
        # prompt-completion: on the completion only, which TRL does by itself.
        args = SFTConfig(**common_args(out_dir), assistant_only_loss=(kind == "sft-messages"))
        trainer = SFTTrainer(model=model, args=args, train_dataset=dataset, processing_class=tokenizer)
        labels = trainer.train_dataset["labels"]
        extra["label_tokens"] = sum(1 for row in labels for token in row if token != -100)
        extra["max_tokens"] = max(len(row) for row in trainer.train_dataset["input_ids"])
        if kind == "sft-messages":
            extra["assistant_tokens"], extra["weighted_assistant_tokens"] = assistant_tokens(tokenizer, dataset)
    elif kind == "dpo":
        from trl import DPOConfig, DPOTrainer

        trainer = DPOTrainer(model=model, args=DPOConfig(**common_args(out_dir)), train_dataset=dataset, processing_class=tokenizer)
    else:
        from trl import KTOConfig, KTOTrainer

        labels = dataset["label"]
        extra["labels_true"] = sum(1 for v in labels if v is True)
        extra["labels_false"] = sum(1 for v in labels if v is False)
        trainer = KTOTrainer(model=model, args=KTOConfig(**common_args(out_dir)), train_dataset=dataset, processing_class=tokenizer)
    rows_in_dataset = len(trainer.train_dataset)
    timings["setup_s"] = time.perf_counter() - t

    t = time.perf_counter()
    output = trainer.train()
    timings["train_s"] = time.perf_counter() - t
    logged = [entry for entry in trainer.state.log_history if "loss" in entry]
    loss = logged[0]["loss"] if logged else output.training_loss
    # The gradient the step applied: non-zero only when the rows reached the loss.
    grad_norm = logged[0].get("grad_norm") if logged else None
    timings["total_s"] = time.perf_counter() - t0

    result = {
        "kind": kind,
        "loss": loss if math.isfinite(loss) else str(loss),
        "finite": math.isfinite(loss),
        "grad_norm": grad_norm if grad_norm is None or math.isfinite(grad_norm) else str(grad_norm),
        "rows_in_file": rows_in_file,
        "rows_loaded": rows_loaded,
        "rows_in_dataset": rows_in_dataset,
        "columns": columns,
        "features": features,
        "steps": trainer.state.global_step,
        **extra,
        "timings": {k: round(v, 3) for k, v in timings.items()},
        "versions": versions,
    }
    print(RESULT_PREFIX + json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
