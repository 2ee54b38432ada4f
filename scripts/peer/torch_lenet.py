"""PyTorch's side of `Benchmarks lenet`: the same LeNet, data, batch, optimiser and threads.

`Benchmarks` writes the 8,000 training images it uses (float32, 1x28x28 each, the same values
OptimKit trains on) and their labels to two raw files, starts this script as a child process
and alternates with it epoch by epoch, so the load of a shared machine falls on both alike.

    python torch_lenet.py IMAGES LABELS COUNT [--threads 2] [--batch 256] [--lr 0.1] [--seed 1]

Model: d2l's LeNet with ReLU and max pooling, exactly OptimKit's `LeNet.make`:
conv 6@5x5 pad 2 -> ReLU -> max-pool 2/2 -> conv 16@5x5 -> ReLU -> max-pool 2/2 -> flatten
-> dense 120 -> ReLU -> dense 84 -> ReLU -> dense 10; Xavier-uniform weights, zero biases.
Training: one epoch = a fresh random permutation cut into minibatches; per minibatch forward,
mean softmax cross-entropy, backward, plain SGD; loss and accuracy summed on the fly (as
`LeNetTrainer.trainEpoch` does). Inference: forward passes over the images in order, counting
correct predictions (as `LeNetTrainer.evaluate`).

Protocol on stdin, one request per line, each answered with one line:
    train  -> "<seconds> <mean loss> <accuracy> <cpu seconds>"   (one training epoch)
    infer  -> "<seconds> <accuracy> <cpu seconds>"               (one inference pass)
Seconds are wall-clock; CPU seconds are those of all the process's threads.
The first line printed is `ready <versions and thread count>`.
"""
import argparse
import sys
import time

import numpy as np
import torch
from torch import nn

parser = argparse.ArgumentParser()
parser.add_argument("images")
parser.add_argument("labels")
parser.add_argument("count", type=int)
parser.add_argument("--threads", type=int, default=2)
parser.add_argument("--batch", type=int, default=256)
parser.add_argument("--lr", type=float, default=0.1)
parser.add_argument("--seed", type=int, default=1)
args = parser.parse_args()

torch.set_num_threads(args.threads)
torch.manual_seed(args.seed)
images = torch.from_numpy(
    np.fromfile(args.images, dtype=np.float32, count=args.count * 784).reshape(args.count, 1, 28, 28).copy()
)
labels = torch.from_numpy(np.fromfile(args.labels, dtype=np.int32, count=args.count).astype(np.int64))

net = nn.Sequential(
    nn.Conv2d(1, 6, kernel_size=5, padding=2), nn.ReLU(), nn.MaxPool2d(2, 2),
    nn.Conv2d(6, 16, kernel_size=5), nn.ReLU(), nn.MaxPool2d(2, 2),
    nn.Flatten(),
    nn.Linear(400, 120), nn.ReLU(),
    nn.Linear(120, 84), nn.ReLU(),
    nn.Linear(84, 10),
)
for layer in net:
    if isinstance(layer, (nn.Conv2d, nn.Linear)):
        nn.init.xavier_uniform_(layer.weight)
        nn.init.zeros_(layer.bias)
loss_function = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(net.parameters(), lr=args.lr)


def train_epoch():
    net.train()
    order = torch.randperm(args.count)
    loss_sum, correct = 0.0, 0
    for start in range(0, args.count, args.batch):
        index = order[start:start + args.batch]
        x, y = images[index], labels[index]
        optimizer.zero_grad()
        logits = net(x)
        loss = loss_function(logits, y)
        loss.backward()
        optimizer.step()
        loss_sum += loss.item() * len(index)
        correct += (logits.argmax(dim=1) == y).sum().item()
    return loss_sum / args.count, correct / args.count


def infer_pass():
    net.eval()
    correct = 0
    with torch.inference_mode():
        for start in range(0, args.count, args.batch):
            logits = net(images[start:start + args.batch])
            correct += (logits.argmax(dim=1) == labels[start:start + args.batch]).sum().item()
    return correct / args.count


print(f"ready torch {torch.__version__}, numpy {np.__version__}, {torch.get_num_threads()} threads, "
      f"mkldnn {torch.backends.mkldnn.is_available()}, cpu capability {torch.backends.cpu.get_cpu_capability()}",
      flush=True)
for line in sys.stdin:
    request = line.strip()
    start, cpu_start = time.perf_counter(), time.process_time()
    if request == "train":
        loss, accuracy = train_epoch()
        print(f"{time.perf_counter() - start!r} {loss!r} {accuracy!r} {time.process_time() - cpu_start!r}", flush=True)
    elif request == "infer":
        accuracy = infer_pass()
        print(f"{time.perf_counter() - start!r} {accuracy!r} {time.process_time() - cpu_start!r}", flush=True)
    else:
        print(f"error unknown request {request!r}", flush=True)
