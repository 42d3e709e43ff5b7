#include <atomic>
#include <mutex>
#include <stdexcept>
#include <vector>

#include <catch2/catch.hpp>

#include "src/core/worker_pool.hpp"

using careerbot::WorkerPool;

TEST_CASE("join runs every task queued before it, then ends the threads", "[worker_pool]") {
    std::atomic<int> ran{0};
    WorkerPool pool(2);
    for (int i = 0; i < 100; ++i) pool.post([&] { ++ran; });
    pool.join();
    CHECK(ran == 100);
    pool.join();  // idempotent
    CHECK(ran == 100);
}

TEST_CASE("one thread runs tasks in the order they were posted", "[worker_pool]") {
    std::mutex m;
    std::vector<int> order;
    {
        WorkerPool pool(1);
        for (int i = 0; i < 20; ++i)
            pool.post([&, i] {
                std::lock_guard lock(m);
                order.push_back(i);
            });
    }  // the destructor joins
    REQUIRE(order.size() == 20);
    for (int i = 0; i < 20; ++i) CHECK(order[static_cast<std::size_t>(i)] == i);
}

TEST_CASE("a task posted after join is ignored", "[worker_pool]") {
    std::atomic<int> ran{0};
    WorkerPool pool(1);
    pool.join();
    pool.post([&] { ++ran; });
    CHECK(ran == 0);
}

TEST_CASE("a task that throws does not stop the pool", "[worker_pool]") {
    std::atomic<int> ran{0};
    WorkerPool pool(1, "test");
    pool.post([] { throw std::runtime_error("boom"); });
    pool.post([&] { ++ran; });
    pool.join();
    CHECK(ran == 1);
}

TEST_CASE("a pool started without threads gets them later", "[worker_pool]") {
    std::atomic<int> ran{0};
    WorkerPool pool(0);
    pool.post([&] { ++ran; });
    pool.start(1);
    pool.join();
    CHECK(ran == 1);
}
