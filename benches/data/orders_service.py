"""Order service: validates carts, prices them and hands them to fulfilment.

A representative application module for the extraction benchmark: imports of
every form tapestry reads (absolute, relative, from-imports with several
names, lazy imports in functions, optional imports in try, TYPE_CHECKING),
set among ordinary classes, dataclasses, comprehensions and f-strings.
"""

from __future__ import annotations

import dataclasses
import decimal
import enum
import logging
import os.path
from collections import defaultdict, OrderedDict
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Mapping, Optional

from . import events
from .money import Money, round_half_even
from .pricing.rules import DiscountRule, TaxRule, apply_rules
from ..inventory import stock as stock_api
from ..inventory.reservations import Reservation, reserve_many
from shop.core.settings import settings
from shop.core.errors import ValidationError, NotFound

try:
    import orjson as fastjson
except ImportError:  # pragma: no cover - optional speed-up
    fastjson = None

if TYPE_CHECKING:
    from shop.customers.models import Customer
    from .repository import OrderRepository

log = logging.getLogger(__name__)

DEFAULT_CURRENCY = os.environ.get("SHOP_CURRENCY", "EUR")
MAX_LINES = 250
HOLD_FOR = timedelta(minutes=15)


class Status(enum.Enum):
    DRAFT = "draft"
    PLACED = "placed"
    PAID = "paid"
    SHIPPED = "shipped"
    CANCELLED = "cancelled"


@dataclasses.dataclass(frozen=True)
class Line:
    sku: str
    quantity: int
    unit_price: Money
    notes: str = ""

    @property
    def total(self) -> Money:
        return self.unit_price * self.quantity

    def validate(self) -> None:
        if self.quantity <= 0:
            raise ValidationError(f"line {self.sku}: quantity must be positive, got {self.quantity}")
        if len(self.notes) > 500:
            raise ValidationError(f"line {self.sku}: notes are limited to 500 characters")


@dataclasses.dataclass
class Order:
    id: str
    customer_id: str
    lines: list[Line] = dataclasses.field(default_factory=list)
    status: Status = Status.DRAFT
    created_at: datetime = dataclasses.field(default_factory=lambda: datetime.now(timezone.utc))
    reservations: list[Reservation] = dataclasses.field(default_factory=list)
    metadata: dict[str, Any] = dataclasses.field(default_factory=dict)

    def subtotal(self) -> Money:
        total = Money.zero(DEFAULT_CURRENCY)
        for line in self.lines:
            total = total + line.total
        return total

    def by_sku(self) -> Mapping[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for line in self.lines:
            counts[line.sku] += line.quantity
        return dict(counts)

    def is_expired(self, now: Optional[datetime] = None) -> bool:
        now = now or datetime.now(timezone.utc)
        return self.status is Status.DRAFT and now - self.created_at > HOLD_FOR


class OrderService:
    """Places orders: validate, reserve stock, price, persist, announce."""

    def __init__(self, repository: "OrderRepository", rules: Iterable[DiscountRule] = (), taxes: Iterable[TaxRule] = ()):
        self.repository = repository
        self.rules = list(rules)
        self.taxes = list(taxes)
        self._cache: OrderedDict[str, Order] = OrderedDict()

    def get(self, order_id: str) -> Order:
        if order_id in self._cache:
            self._cache.move_to_end(order_id)
            return self._cache[order_id]
        order = self.repository.find(order_id)
        if order is None:
            raise NotFound(f"order {order_id}")
        self._remember(order)
        return order

    def _remember(self, order: Order) -> None:
        self._cache[order.id] = order
        while len(self._cache) > settings.ORDER_CACHE_SIZE:
            self._cache.popitem(last=False)

    def place(self, customer: "Customer", lines: list[Line]) -> Order:
        if not lines:
            raise ValidationError("an order needs at least one line")
        if len(lines) > MAX_LINES:
            raise ValidationError(f"an order has at most {MAX_LINES} lines")
        for line in lines:
            line.validate()
        order = Order(id=self.repository.next_id(), customer_id=customer.id, lines=lines)
        order.reservations = reserve_many(order.by_sku(), hold_for=HOLD_FOR)
        priced = self.price(order)
        order.status = Status.PLACED
        order.metadata["priced_total"] = str(priced)
        self.repository.save(order)
        events.publish("order.placed", {"id": order.id, "total": str(priced)})
        log.info("placed order %s for %s (%d lines)", order.id, customer.id, len(lines))
        return order

    def price(self, order: Order) -> Money:
        subtotal = order.subtotal()
        discounted = apply_rules(subtotal, self.rules, context={"order": order})
        taxed = apply_rules(discounted, self.taxes, context={"order": order})
        return round_half_even(taxed, places=2)

    def cancel(self, order_id: str, reason: str) -> Order:
        order = self.get(order_id)
        if order.status in (Status.SHIPPED, Status.CANCELLED):
            raise ValidationError(f"order {order_id} is {order.status.value} and cannot be cancelled")
        for reservation in order.reservations:
            stock_api.release(reservation)
        order.status = Status.CANCELLED
        order.metadata["cancel_reason"] = reason
        self.repository.save(order)
        events.publish("order.cancelled", {"id": order.id, "reason": reason})
        return order

    def export(self, orders: Iterable[Order]) -> bytes:
        rows = [self._row(o) for o in orders if o.status is not Status.DRAFT]
        if fastjson is not None:
            return fastjson.dumps(rows)
        import json

        return json.dumps(rows, default=str).encode()

    @staticmethod
    def _row(order: Order) -> dict[str, Any]:
        return {
            "id": order.id,
            "customer": order.customer_id,
            "status": order.status.value,
            "lines": [{"sku": l.sku, "qty": l.quantity, "price": str(l.unit_price)} for l in order.lines],
            "created": order.created_at.isoformat(),
        }

    def expire_drafts(self, now: Optional[datetime] = None) -> Iterator[str]:
        for order in self.repository.drafts():
            if order.is_expired(now):
                self.cancel(order.id, "expired")
                yield order.id


def load_plugins(names: Iterable[str]) -> list[Any]:
    """Discount plugins named in settings, imported on demand."""
    import importlib

    plugins = []
    for name in names:
        module = importlib.import_module(f"shop.plugins.{name}")
        plugins.append(module.Plugin())
    return plugins


def quantize(value: decimal.Decimal, places: int = 2) -> decimal.Decimal:
    exp = decimal.Decimal(1).scaleb(-places)
    return value.quantize(exp, rounding=decimal.ROUND_HALF_EVEN)
