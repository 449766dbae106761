"""/api/v1/items: list with cursor pages and filters, create, read with ETag, PATCH with If-Match, adjustments."""
from sqlalchemy import select

from app.inventory.models import InventoryItem, StockMovement
from app.extensions import db


def test_list_pages_by_cursor_and_stays_stable_under_inserts(app, staff_api, factory):
    for n in range(5):
        factory.item(sku=f"B-{n}", stock=n)
    first = staff_api.get("/api/v1/items?limit=2")
    assert first.status_code == 200 and [i["sku"] for i in first.json] == ["B-0", "B-1"]
    link = first.headers["Link"]
    assert link.endswith('; rel="next"')
    factory.item(sku="A-NEW")  # sorts before the cursor: must not shift the next page
    second = staff_api.get(link[1:link.index(">")])
    assert [i["sku"] for i in second.json] == ["B-2", "B-3"]
    assert [i["sku"] for i in staff_api.get("/api/v1/items?in_stock=true&q=b-").json] == ["B-1", "B-2", "B-3", "B-4"]
    assert "Link" not in staff_api.get("/api/v1/items?limit=500").headers


def test_bad_list_input_is_a_400_or_422_problem_never_a_500(staff_api):
    for query, status in (("limit=501", 422), ("limit=0", 422), ("limit=1e309", 422),
                          ("limit=99999999999999999999999", 422), ("cursor=garbage", 400),
                          ("colour=red", 400), ("archived=maybe", 422), ("q=" + "x" * 100_000, 422)):
        response = staff_api.get(f"/api/v1/items?{query}")
        assert response.status_code == status, (query, response.json)
        assert response.mimetype == "application/problem+json"
    assert "colour" in staff_api.get("/api/v1/items?colour=red").json["detail"]
    assert staff_api.get("/api/v1/items/1?colour=red").status_code == 400  # a view that takes no query at all


def test_create_gives_the_services_sentences_per_field(staff_api, factory):
    factory.item(sku="MUG-1")
    response = staff_api.post("/api/v1/items", json={"sku": "mug-1", "name": "", "unit_price": "abc"})
    assert response.status_code == 422
    errors = response.json["errors"]
    assert errors["name"] == "Enter a name of at most 200 characters."
    assert "unit_price" in errors
    created = staff_api.post("/api/v1/items", json={"sku": "tee-1", "name": "Tee", "unit_price": "12.50",
                                                      "opening_stock": 4})
    assert created.status_code == 201 and created.json["sku"] == "TEE-1" and created.json["stock_on_hand"] == 4
    assert created.headers["Location"].endswith(f"/api/v1/items/{created.json['id']}")
    taken = staff_api.post("/api/v1/items", json={"sku": "TEE-1", "name": "Tee", "unit_price": "1"})
    assert taken.json["errors"] == {"sku": "Another item already has this SKU."}
    assert staff_api.post("/api/v1/items", data="{not json", content_type="application/json").status_code in (400, 422)


def test_get_has_an_etag_and_a_stale_if_match_changes_nothing(app, staff_api, factory):
    item = factory.item(sku="MUG-1", price="4.50")
    read = staff_api.get(f"/api/v1/items/{item.id}")
    etag = read.headers["ETag"]
    assert read.status_code == 200 and read.json["unit_price"] == "4.50"
    changed = staff_api.patch(f"/api/v1/items/{item.id}", json={"unit_price": "5.00"}, headers={"If-Match": etag})
    assert changed.status_code == 200 and changed.json["unit_price"] == "5.00" and changed.headers["ETag"] != etag
    stale = staff_api.patch(f"/api/v1/items/{item.id}", json={"unit_price": "9.00"}, headers={"If-Match": etag})
    assert stale.status_code == 412 and stale.mimetype == "application/problem+json"
    assert staff_api.get(f"/api/v1/items/{item.id}").json["unit_price"] == "5.00"
    assert staff_api.get("/api/v1/items/99999999999999999999").status_code == 404


def test_adjustments_write_the_ledger_and_never_go_below_zero(app, staff_api, factory):
    item = factory.item(sku="MUG-1", stock=3)
    added = staff_api.post(f"/api/v1/items/{item.id}/adjustments", json={"quantity": -2, "reason": "Broken"})
    assert added.status_code == 201 and added.json["stock_on_hand"] == 1
    refused = staff_api.post(f"/api/v1/items/{item.id}/adjustments", json={"quantity": -5, "reason": "Lost"})
    assert refused.status_code == 422 and refused.json["errors"] == {"delta": "Only 1 in stock: you cannot remove 5."}
    reasons = db.session.execute(select(StockMovement.reason).where(StockMovement.item_id == item.id)).scalars().all()
    assert sorted(reasons) == ["Broken", "Opening stock"]
    assert db.session.get(InventoryItem, item.id).stock_on_hand == 1
